// verify_team: the helper threads a verify() in ranges works with (verify.h), and what sizes
// them. Internal to ledger/: verify.cpp runs its ranges on a team, verify_helpers.h starts
// one ahead of the verify.
//
// A team of n helpers is n early_threads (common/early_threads.h). Helper t (1 to n) opens
// its own read connection to the ledger file at once, on its own thread, into connections[t]
// (connections[0] stays empty: the caller reads on its own). Until verify hands them ranges
// they read nothing else, so a team started before the schema is checked reads no data
// table of a hostile file. Asked to, helper 1 also opens the caller's connection ahead and
// checks the schema on it, then reads the entry count only if the schema holds. Destroying
// the team releases and joins the helpers; the connections still open close with it.
//
// Not thread-safe: one owner thread runs the team (once) and destroys it.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/early_threads.h"
#include "common/result.h"
#include "ledger/sqlite.h"
#include "ledger/verify.h"

namespace ballotbox::ledger::detail {

using connection_opener = std::function<result<sqlite::database>()>;

// A read connection (ledger_file.h) with a small page cache: verify reads each page once.
result<sqlite::database> open_for_one_read(const std::filesystem::path& path,
                                           const std::string& vfs);
void read_once(sqlite::database& db);

// options.threads, or one per core (at most 8) when it is 0.
unsigned thread_count(const verify_options& options);

// At least as many entries as a ledger file of this size can hold: every entry row stores
// its prev_hash and entry_hash, 64 bytes, in the database file or in its WAL. No file: the
// largest bound (the open then names the problem).
std::uint64_t entry_bound(const std::filesystem::path& path);

// The threads, the caller's included, a verify in ranges works on when the file holds at
// most max_entries entries: every one gets options.min_entries_per_thread. Below 2: none.
unsigned range_threads(const verify_options& options, std::uint64_t max_entries);

// Where a verify in ranges cuts its work into `parts` parts for `threads` threads that take
// them in order as they come free: parts - 1 ascending cuts, each a fraction of the whole in
// units of 2^-32; the chain (part_starts) and the box's key space (box_part_bounds) are cut at
// the same fractions. With more parts than threads the parts shrink linearly, the first four
// times the last, so that the parts taken last are short and the threads end close together
// (the 3,000-ballot day's verify 3 to 4 % faster than with equal parts: bench/README.md).
// With one part per thread (or fewer) the parts are equal.
std::vector<std::uint32_t> part_cuts(unsigned parts, unsigned threads);

// The first entry of every part and, last, `entries`: parts + 1 ascending values from 0, the
// chain cut at `cuts`. Every part holds at least one entry when there are at least as many
// entries as parts.
std::vector<std::uint64_t> part_starts(std::uint64_t entries,
                                       const std::vector<std::uint32_t>& cuts);

// One past the highest seq in the entries table (0 when it is empty).
result<std::uint64_t> count_entries(sqlite::database& db);

// The caller's read connection, opened ahead by helper 1 with verify's first checks made on
// it: the file and schema (check_schema), then, if that holds, the entry count.
struct early_reader {
    result<sqlite::database> connection;
    status schema;
    std::optional<result<std::uint64_t>> entries;
};

struct helper_team {
    // With open_reader, helper 1 first opens `reader` (then its own connection) and sets
    // reader_ready (release order, notified).
    helper_team(unsigned helpers, connection_opener opener, bool open_reader = false);
    helper_team(const helper_team&) = delete;
    helper_team& operator=(const helper_team&) = delete;

    connection_opener open_connection;
    std::vector<std::optional<result<sqlite::database>>> connections;
    const bool opens_reader;
    std::optional<early_reader> reader;  // written by helper 1 before reader_ready
    std::atomic<bool> reader_ready{false};
    // Set when the caller takes the reader (verify_helpers::take_reader), whether its open
    // succeeded or not; then the connection, so that verify knows the checks in `reader`
    // were made on the connection it is given.
    bool reader_given = false;
    const sqlite3* reader_taken = nullptr;
    early_threads threads;  // last: its helpers use the members above
};

}  // namespace ballotbox::ledger::detail
