// verify_helpers: the helper threads of a verify in ranges (verify.h), started ahead of it.
// Each opens its own read connection to the ledger file at once and then waits; a
// verify_file() (or ledger::open_read_only) given these helpers hands them its ranges
// instead of starting threads of its own.
//
// Why: on the VMs the audit runs on, a core that has been idle takes up to milliseconds to
// run a thread woken on it (bench/README.md, tenth and eleventh sessions). Started while the
// caller does other work first (the audit checks its input files and the package signature),
// the helpers are running, their connections open, when the chain is read.
//
// How many: as many as verify(path, options) would start, sized by options.threads,
// options.min_entries_per_thread and the file's size when constructed (none for a path that
// is not a regular file, or a file too small to be cut). A verify that cuts the chain into fewer
// ranges leaves the others idle, one that checks in one pass leaves them all idle; the destructor
// releases and joins whatever was not used. Helpers read nothing but the file's header
// before a verify hands them ranges, so a file refused later was not read by them; but for
// the reader below, which makes verify's own first checks.
//
// Asked to (open_reader), the first helper first opens the caller's read connection too,
// checks the file's schema on it (check_schema) and, only if that holds, reads how many
// entries the chain has: verify's first steps. ledger::open_read_only() takes that connection
// (take_reader) instead of opening one, and the verify on it takes the outcome of those
// checks instead of making them again. The audit asks for it: its own thread has the input
// files and the package signature to check first.
//
// Owned by one thread. One verify uses them: the first verify_file() given them for the same
// path and VFS takes them (any other starts its own threads, as without helpers).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "ledger/verify.h"

namespace ballotbox::ledger {

namespace detail {
struct helper_team;
}

class verify_helpers {
  public:
    // With open_reader, the first helper also opens the caller's read connection ahead (for
    // ledger::open_read_only: take_reader) and makes verify's first checks on it.
    verify_helpers(const std::filesystem::path& path, const verify_options& options,
                   bool open_reader = false);
    ~verify_helpers();
    verify_helpers(const verify_helpers&) = delete;
    verify_helpers& operator=(const verify_helpers&) = delete;

    // How many threads were started and not yet taken by a verify.
    unsigned waiting() const;

    // For verify_file(): the started threads, if they were started for this path and VFS and
    // not taken yet; otherwise null.
    std::unique_ptr<detail::helper_team> take(const std::filesystem::path& path,
                                              const std::string& vfs);

    // For ledger::open_read_only(): the read connection opened ahead (open_reader), once
    // the helper has opened it (this waits for it), if started for this path and VFS and
    // not taken yet; otherwise nullopt (the caller opens its own). A verify given these
    // helpers with that connection uses the checks made on it instead of making them again.
    std::optional<result<sqlite::database>> take_reader(const std::filesystem::path& path,
                                                        const std::string& vfs);

  private:
    std::filesystem::path path_;
    std::string vfs_;
    std::unique_ptr<detail::helper_team> team_;
};

}  // namespace ballotbox::ledger
