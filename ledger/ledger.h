// ledger: one polling station's hash-chained SQLite ledger, opened for appending or reading.
//
// A ledger object owns one SQLite connection to one file. Every append is one IMMEDIATE
// transaction that returns only after COMMIT (WAL, synchronous=FULL) is durable; the
// in-memory head (size, last hash, Merkle tree) moves only after a successful commit.
// A failure before COMMIT rolls the transaction back and leaves the file and the object as
// they were. A failure of COMMIT itself (disk full, I/O error) leaves it unknown until the
// file is reopened whether the entry reached the disk, so the object then refuses every
// further append with "ledger.must_reopen": reopen with ledger::open, which replays the
// write-ahead log and re-verifies the chain (a cast whose token is then found was recorded).
//
// create() writes the genesis entry; open() verifies the whole file (verify.h) and refuses
// one that fails, naming the entry; open_read_only() does the same through read-only,
// immutable connections that never write (verify's own, on several threads for a big file).
// Either takes its head (size, last hash, Merkle tree) from verify's report. After append_closing
// only the final checkpoint may follow; after it nothing. Formats: docs/ledger-format.md.
//
// Thread safety: none; one thread (the daemon's ledger strand) uses an object at a time.
// Distinct objects on distinct files are independent.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "ledger/ballot_box.h"
#include "ledger/bodies.h"
#include "ledger/cast_window.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "ledger/sqlite.h"
#include "ledger/stored_checkpoint.h"
#include "ledger/verify.h"

namespace ballotbox::ledger {

struct ledger_options {
    std::string vfs_name;                 // SQLite VFS; empty = the default one
    const clock_source* clock = nullptr;  // nullptr = the system clock
    random_source* random = nullptr;      // nullptr = crypto::system_random_source()
    cast_window window;                   // the time granularity of cast events
    std::optional<crypto::ed25519_public_key> trusted_key;  // checked against genesis on open
};

class ledger {
  public:
    // Errors: "ledger.already_exists", "ledger.bad_origin", storage errors. A failed create
    // removes the file it began.
    static result<ledger> create(const std::filesystem::path& path, const ledger_options& options,
                                 const genesis_info& genesis);
    // Errors: "ledger.cannot_open", "ledger.not_a_ledger", "ledger.verification_failed"
    // (message names the entry or row and what is wrong), storage errors.
    static result<ledger> open(const std::filesystem::path& path,
                               const ledger_options& options = {});
    static result<ledger> open_read_only(const std::filesystem::path& path,
                                         const ledger_options& options = {});
    // The same, verifying with the caller's options (a trusted checkpoint, an entry observer;
    // options.trusted_key and vfs_name still apply) and handing back verify()'s full report
    // in `report`, pass or fail, so a caller that needs both (the audit) verifies once.
    // `helpers`, if given, are verify's threads started ahead, with the read connection one
    // of them opened ahead if they were asked to (verify_helpers.h).
    static result<ledger> open_read_only(const std::filesystem::path& path,
                                         const ledger_options& options,
                                         const verify_options& verify, verify_report& report,
                                         verify_helpers* helpers = nullptr);

    ledger(ledger&&) noexcept = default;
    ledger& operator=(ledger&&) noexcept = default;

    // Any event but genesis, cast and closing (which have their own calls). Returns the seq.
    // After an opening or turnout entry, its checkpoint must be appended before any other
    // entry but a restart (the appliance may stop between the two commits): otherwise
    // "ledger.checkpoint_required".
    // Errors: "ledger.read_only", "ledger.closed", "ledger.must_reopen",
    // "ledger.use_dedicated_append", "ledger.bad_rejection_body", "ledger.body_not_canonical",
    // storage errors ("ledger.disk_full", "ledger.io_error", ...).
    result<std::uint64_t> append(event_type type, const boost::json::object& body);
    // The cast event and the ballot row, in one transaction. The event body holds only the
    // source and the window start. Errors as append, plus "ledger.ballot_invalid",
    // "ledger.token_already_recorded" (nothing written), "ledger.box_key_collision".
    result<std::uint64_t> append_cast(const ballot& b);
    // The portable box's ballots (each a cast entry of its source with its ballot row) and
    // then one portable_import event with `import_body`, all in one transaction: either all
    // of it is recorded or none. Errors as append_cast (a token already in the box refuses
    // the whole import: the caller leaves such ballots out beforehand), "ledger.bad_import"
    // (no ballot may be of the stationary source). Returns the seq of the import event.
    result<std::uint64_t> append_portable_import(const std::vector<ballot>& ballots,
                                                 const boost::json::object& import_body);
    // Moves everything committed from the write-ahead log into the database file itself
    // (wal_checkpoint(TRUNCATE)), so that a copy of the file alone is the whole ledger (a
    // portable box's ledger is carried to the station as one file). Errors: storage errors.
    status write_back_log();
    // The closing entry, sealing the box root and size; extra fields from the daemon.
    // Errors as append, plus "ledger.reserved_body_key".
    result<std::uint64_t> append_closing(const boost::json::object& extra = {});
    // Signs the current tree (all entries) with key (name = the genesis origin), stores it and
    // returns the signed note. kind must be the one the last entry implies
    // (stored_checkpoint.h). Errors: "ledger.wrong_signing_key", "ledger.checkpoint_kind_mismatch",
    // "ledger.checkpoint_exists" (one already at this size), "ledger.closed", storage errors.
    result<std::string> append_checkpoint(checkpoint_kind kind,
                                          const crypto::ed25519_private_key& key);

    std::uint64_t size() const { return tree_.end(); }
    crypto::digest root() const { return tree_.root(); }
    const crypto::digest& head_hash() const { return head_; }
    const genesis_info& genesis() const { return genesis_; }
    bool closed() const { return closed_; }
    bool finalized() const { return finalized_; }
    bool read_only() const { return read_only_; }
    bool must_reopen() const { return must_reopen_; }

    // Reads from the file.
    result<entry> read_entry(std::uint64_t seq);
    // Calls visit for every entry from 0 to size() - 1, in seq order, read by one query (a
    // read_entry per entry prepares one statement each). Stops at the first error visit
    // returns and returns it; "ledger.corrupt_file" if the rows are not those entries.
    status for_each_entry(const std::function<status(const entry&)>& visit);
    result<std::vector<stored_ballot>> ballots();  // in box-key order
    result<crypto::digest> box_root();
    result<std::vector<stored_checkpoint>> checkpoints();  // in tree-size order

  private:
    ledger() = default;
    static result<ledger> open_impl(const std::filesystem::path& path,
                                    const ledger_options& options, bool read_only,
                                    const verify_options* verify = nullptr,
                                    verify_report* report_out = nullptr,
                                    verify_helpers* helpers = nullptr);
    void load_state(const verify_report::chain_end& end);
    status writable(bool allow_after_closing = false, bool is_restart = false) const;
    result<std::uint64_t> insert_entry(event_type type, const std::string& body);
    // Inserts an entry at seq after prev (inside a transaction); returns its hash.
    result<crypto::digest> insert_entry_at(std::uint64_t seq, const crypto::digest& prev,
                                           event_type type, const std::string& body);
    // Inserts the ballot row under a fresh random key (inside a transaction). Errors:
    // "ledger.token_already_recorded", "ledger.box_key_collision", storage errors.
    status insert_ballot(const ballot& b);
    void commit_entry(event_type type, const crypto::digest& hash);
    void note_failure(bool at_commit);
    // Runs `write` (returning a result) inside one transaction: commits if it succeeded,
    // rolls back if it failed; either failure is noted (note_failure). Defined in
    // ledger/in_transaction.h, which the appending translation units include.
    template <class Write>
    auto in_transaction(Write&& write) -> std::invoke_result_t<Write&>;

    sqlite::database db_;
    ledger_options options_;
    genesis_info genesis_;
    merkle_range tree_;  // every entry, from 0
    crypto::digest head_{};
    std::optional<crypto::digest> pending_hash_;
    event_type last_type_ = event_type::genesis;
    std::uint64_t signed_size_ = 0;  // tree size of the newest stored checkpoint
    bool read_only_ = false;
    bool closed_ = false;
    bool finalized_ = false;
    bool must_reopen_ = false;
};

}  // namespace ballotbox::ledger
