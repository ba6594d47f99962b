// fault_vfs: a SQLite VFS that models durability and injects storage faults, for tests.
//
// It wraps SQLite's "unix" VFS under a name of the caller's choice (never as the default
// VFS); pass that name as the VFS of sqlite3_open_v2 (ledger_options::vfs_name). Reads,
// locks and WAL shared memory (xShm*) go straight to the unix VFS. Writes and truncations
// go to the real file too, but xSync never calls fsync: the VFS records, per file, what was
// written since that file's last sync (see fault_vfs_model.h for the exact crash model and
// what it does and does not guarantee). Only main databases, rollback journals and WAL
// files are tracked; temporary files pass through.
//
// Faults:
//   - inject(): the nth write / sync / truncate / main-database open from now fails with a
//     SQLite code (e.g. SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_CANTOPEN)
//     and does nothing; a persistent fault keeps failing every later call of that kind until
//     clear_faults().
//   - set_write_budget(): every write that would take the bytes written from now beyond the
//     budget fails with SQLITE_FULL (a disk that fills up).
//   - crash() / crash_at(): a simulated power loss. The tracked files are rewritten to one
//     possible post-crash state and the -shm files deleted; from then on every write, sync,
//     truncate and delete through this VFS fails with an SQLITE_IOERR code and touches
//     nothing (the machine is off), so the connections still open may be closed safely.
//     Close them all BEFORE reopening the database with the default VFS (closing a stale
//     connection after the reopen could unlink the new connection's -shm file).
//
// Ownership: create() registers the VFS; the fault_vfs object unregisters it when
// destroyed, which must happen after every connection using it is closed. The
// random_source given to create() must outlive the object.
// Thread safety: every VFS callback and public member takes one internal mutex, so one
// connection at a time (on any thread) is safe; several connections through the same
// fault_vfs work but their interleaving is then not repeatable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/random.h"
#include "common/result.h"
#include "ledger/fault_vfs_model.h"

namespace ballotbox::ledger {

// What inject() and crash_at() count. open_main_db: opening a main database file (inject()
// only; crash_at() never fires on it), so a test can make one connection's open fail.
enum class fault_op { write, sync, truncate, open_main_db };

struct fault_vfs_counters {
    std::uint64_t writes = 0;              // xWrite calls, failed ones included
    std::uint64_t syncs = 0;               // xSync calls, failed ones included
    std::uint64_t truncates = 0;           // xTruncate calls, failed ones included
    std::uint64_t deletes = 0;             // xDelete calls
    std::uint64_t bytes_written = 0;       // bytes of successful writes
    std::uint64_t faults_hit = 0;          // calls failed by inject() or the write budget
    std::uint64_t main_db_opens = 0;       // successful xOpen calls of a main database
    std::uint64_t main_db_open_calls = 0;  // xOpen calls of a main database, failed ones too
};

class fault_vfs {
  public:
    // Registers a VFS named `name` (must not be registered already).
    static result<std::unique_ptr<fault_vfs>> create(const std::string& name,
                                                     random_source& random);
    ~fault_vfs();
    fault_vfs(const fault_vfs&) = delete;
    fault_vfs& operator=(const fault_vfs&) = delete;

    const std::string& name() const;
    fault_vfs_counters counters() const;

    // The nth (1 = the next) call of kind `op` fails with `sqlite_code`.
    void inject(fault_op op, std::uint64_t nth, int sqlite_code, bool persistent = false);
    // Writes beyond `bytes` more bytes fail with SQLITE_FULL; nullopt = no budget.
    void set_write_budget(std::optional<std::uint64_t> bytes);
    // Removes injected faults, the budget and any pending crash_at().
    void clear_faults();

    // Simulated power loss now. Fails only if the files could not be rewritten.
    result<crash_summary> crash(crash_policy policy);
    // Power loss at the nth (1 = the next) call of kind `op`: before that call takes effect,
    // or (after = true) just after it took effect. That call then fails with an SQLITE_IOERR
    // code either way, as does everything after it.
    void crash_at(fault_op op, std::uint64_t nth, crash_policy policy, bool after = false);
    bool crashed() const;
    // The summary of the crash that happened (crash() or crash_at()), or an error if the
    // rewrite failed or no crash happened.
    result<crash_summary> last_crash() const;

    // Forgets every tracked file, fault, counter and the crashed state, so the VFS can serve
    // the next scenario. Refused while files are open through it.
    status reset();

    struct impl;

  private:
    explicit fault_vfs(std::unique_ptr<impl> state);
    std::unique_ptr<impl> impl_;
};

}  // namespace ballotbox::ledger
