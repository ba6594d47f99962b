#include "ledger/verify.h"

#include <algorithm>
#include <atomic>
#include <latch>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

#include "ledger/box_scan.h"
#include "ledger/merkle_range.h"
#include "ledger/schema.h"
#include "ledger/verify_entries.h"
#include "ledger/verify_helpers.h"
#include "ledger/verify_team.h"

namespace ballotbox::ledger {
namespace {

using detail::connection_opener;
using detail::count_entries;
using detail::entry_bound;
using detail::helper_team;
using detail::open_for_one_read;
using detail::read_once;

bool fail_storage(verify_report& r, const error& e) {
    return fail_report(r, "file", e.code, "reading the ledger failed: " + e.message);
}

// The outcome of check_schema() on the file, into the report.
bool check_file(const status& s, verify_report& r) {
    if (s)
        return true;
    const auto& code = s.err().code;
    std::string table = code == "ledger.meta_mismatch"     ? "meta"
                        : code == "ledger.schema_mismatch" ? "schema"
                                                           : "file";
    return fail_report(r, table, code, s.err().message);
}

bool check_file(sqlite::database& db, verify_report& r) {
    return check_file(check_schema(db), r);
}

// Reads every checkpoint row (checked later, when the chain reaches its size) and the number
// of entries the table claims (one past the highest seq).
bool load_checkpoints(sqlite::database& db, verify_report& r, std::vector<checkpoint_row>& out,
                      std::uint64_t& entry_limit) {
    auto st = sqlite::statement::prepare(
        db, "SELECT tree_size, kind, note FROM checkpoints ORDER BY tree_size");
    if (!st)
        return fail_storage(r, st.err());
    for (;;) {
        auto row = st->step();
        if (!row)
            return fail_storage(r, row.err());
        if (!*row)
            break;
        auto size = st->column_int(0);
        if (size < 0)
            return fail_report(r, "checkpoints", "ledger.bad_checkpoint_row",
                               "a checkpoint row has a negative tree size");
        if (st->column_type(1) != SQLITE_INTEGER || st->column_type(2) != SQLITE_TEXT)
            return fail_checkpoint_report(r, static_cast<std::uint64_t>(size),
                                          "ledger.bad_checkpoint_row",
                                          "kind is not an integer or note is not text");
        out.push_back({static_cast<std::uint64_t>(size), st->column_int(1), st->column_text(2)});
    }
    r.checkpoints = out.size();
    if (!out.empty() && out.front().tree_size == 0)
        return fail_checkpoint_report(r, 0, "ledger.bad_checkpoint_row",
                                      "a checkpoint of the empty tree: every checkpoint covers "
                                      "at least the genesis entry");
    // A checkpoint past the highest stored seq can never be reached by the chain: name it
    // now, before the entry pass trips over the entry it no longer follows.
    auto limit = count_entries(db);
    if (!limit)
        return fail_storage(r, limit.err());
    entry_limit = *limit;
    if (!out.empty() && out.back().tree_size > entry_limit)
        return fail_checkpoint_report(r, out.back().tree_size, "ledger.checkpoint_beyond_chain",
                                      "a checkpoint covers more entries than the ledger holds",
                                      "at most " + std::to_string(entry_limit),
                                      std::to_string(out.back().tree_size));
    return true;
}

// The box against the chain: one ballot per cast event (per source), and the size and root
// sealed in the closing entry.
bool check_box(verify_report& r, const box_scan& scan, const entry_range& chain) {
    r.ballots = scan.ballots;
    r.box_root = scan.root;
    const char* names[] = {"stationary", "portable"};
    for (std::size_t s = 0; s < 2; ++s)
        if (scan.by_source[s] != chain.casts_by_source()[s])
            return fail_report(
                r, "ballots", "ledger.box_count_mismatch",
                std::string("the ") + names[s] + " box does not hold one ballot per cast event", {},
                std::to_string(chain.casts_by_source()[s]) + " ballots",
                std::to_string(scan.by_source[s]) + " ballots");
    const auto& closing = chain.closing();
    if (!closing)
        return true;
    const auto closing_seq = *chain.closing_seq();
    if (closing->box_size != scan.ballots)
        return fail_report(r, "ballots", "ledger.box_size_mismatch",
                           "the box size sealed in closing entry " + std::to_string(closing_seq) +
                               " differs from the box",
                           closing_seq, std::to_string(closing->box_size),
                           std::to_string(scan.ballots));
    if (closing->box_root != scan.root)
        return fail_report(r, "ballots", "ledger.box_root_mismatch",
                           "the ballot box no longer matches the root sealed in closing entry " +
                               std::to_string(closing_seq) +
                               ": a ballot was changed, swapped, added or removed",
                           closing_seq, to_hex(closing->box_root), to_hex(scan.root));
    return true;
}

void set_outcome(verify_report& r, const entry_range& chain) {
    r.outcome = (chain.closing_seq() && r.final_checkpoint) ? verify_outcome::complete
                                                            : verify_outcome::incomplete;
    r.end = chain.end_state();
    r.checkpoint_list = chain.checkpoint_list();
    // Every stored checkpoint is in the list, verified, in tree-size order.
    if (!r.checkpoint_list.empty())
        r.end->signed_size = r.checkpoint_list.back().signed_checkpoint.tree_size;
    r.end->finalized = r.final_checkpoint.has_value();
}

// The one-thread path: every check in the order verify.h gives, stopping at the first failure.
verify_report verify_in_one_pass(sqlite::database& db, const verify_options& options) {
    verify_report r;
    r.checkpoint_signatures_verified = !options.leave_checkpoint_signatures_to_caller;
    std::vector<checkpoint_row> checkpoints;
    std::uint64_t limit = 0;
    if (!check_file(db, r) || !load_checkpoints(db, r, checkpoints, limit))
        return r;
    entry_range chain(options, checkpoints, r, 0, std::nullopt, std::nullopt);
    if (options.begin_walk)
        options.begin_walk(1);
    sqlite::statement_cache statements(db);
    if (!chain.run(statements) || !chain.finish())
        return r;
    std::string bad_key;
    auto scan = scan_box(db, bad_key);
    if (!scan) {
        if (scan.err().code != "ledger.bad_ballot_row")
            fail_storage(r, scan.err());
        else
            fail_report(r, "ballots", scan.err().code, scan.err().message, {}, "",
                        "box key " + bad_key);
        return r;
    }
    if (check_box(r, *scan, chain))
        set_outcome(r, chain);
    return r;
}

// Where the trusted checkpoint says it ends, read without checking its signature (that is
// done against genesis): only so a later range keeps a snapshot there.
std::optional<std::uint64_t> trusted_size(const verify_options& options) {
    if (!options.trusted_checkpoint)
        return std::nullopt;
    auto note = parse_signed_note(*options.trusted_checkpoint);
    if (!note)
        return std::nullopt;
    auto cp = parse_checkpoint(note->text);
    if (!cp)
        return std::nullopt;
    return cp->tree_size;
}

// The origin and key the genesis entry pins, read ahead so later ranges can check their
// checkpoints' signatures (range 0 still checks genesis fully). Anything odd: nullopt.
std::optional<std::pair<std::string, note_verifier>> read_genesis_ahead(
    sqlite::database& db, const verify_options& options) {
    auto st = sqlite::statement::prepare(db, "SELECT type, body FROM entries WHERE seq = 0");
    if (!st)
        return std::nullopt;
    auto row = st->step();
    if (!row || !*row || st->column_type(0) != SQLITE_INTEGER ||
        st->column_int(0) != static_cast<std::int64_t>(event_type::genesis))
        return std::nullopt;
    auto g = parse_genesis_body(st->column_text_view(1));
    if (!g)
        return std::nullopt;
    auto key = crypto::ed25519_public_key::from_raw(g->appliance_key);
    if (!key || (options.trusted_key && !(*options.trusted_key == *key)))
        return std::nullopt;
    return std::pair{g->origin, note_verifier{g->origin, *key}};
}

// How many ballots each box part holds, published by the part's thread once it has scanned
// its keys. A later part needs the counts of every part before it to place its leaves in the
// box's tree; sum_before waits for them (nullopt if one of them failed).
class box_part_counts {
  public:
    explicit box_part_counts(std::size_t parts) : counts_(parts) {
        for (auto& c : counts_)
            c.store(pending);
    }
    void publish(std::size_t part, std::uint64_t count) {
        set(part, static_cast<std::int64_t>(count));
    }
    void publish_failure(std::size_t part) { set(part, failed); }
    std::optional<std::uint64_t> sum_before(std::size_t part) const {
        std::uint64_t sum = 0;
        for (std::size_t j = 0; j < part; ++j) {
            counts_[j].wait(pending);
            const auto n = counts_[j].load();
            if (n == failed)
                return std::nullopt;
            sum += static_cast<std::uint64_t>(n);
        }
        return sum;
    }

  private:
    static constexpr std::int64_t pending = -2, failed = -1;
    void set(std::size_t part, std::int64_t value) {
        counts_[part].store(value);
        counts_[part].notify_all();
    }
    std::vector<std::atomic<std::int64_t>> counts_;
};

// The same checks with the chain cut into ranges and the box into key ranges, a few pairs per
// thread, each thread on its own connection taking the next pair when done with its last,
// then joined in order. Any failure, or anything the ranges cannot settle alone, gives
// nullopt: the caller then checks in one pass, which names the first failure.
std::optional<verify_report> verify_in_ranges(sqlite::database& db, const verify_options& options,
                                              const connection_opener& open_connection,
                                              std::uint64_t max_entries,
                                              std::unique_ptr<helper_team> started) {
    // The schema is checked before any thread queries a data table (a hostile file could
    // make a view of one). The helpers start first (or were started ahead: verify_helpers.h)
    // and open their connections while this thread checks it; they read no data table until
    // run() below hands them their parts. The rest of the preparation (checkpoint rows,
    // genesis) is done by part 0 while the other parts scan their box keys.
    const std::uint64_t per_thread = std::max<std::uint64_t>(options.min_entries_per_thread, 1);
    auto threads = detail::range_threads(options, max_entries);
    if (threads < 2)
        return std::nullopt;
    auto helpers =
        started ? std::move(started) : std::make_unique<helper_team>(threads - 1, open_connection);
    // A team started ahead has at least one helper; it may have fewer than this file's bound.
    threads = std::min(threads, static_cast<unsigned>(helpers->threads.helpers()) + 1);
    auto& connections = helpers->connections;
    verify_report r;
    r.checkpoint_signatures_verified = !options.leave_checkpoint_signatures_to_caller;
    // The checks a helper made ahead on this very connection, if it opened it (verify_team.h).
    const detail::early_reader* early =
        helpers->reader && helpers->reader_taken == db.get() ? &*helpers->reader : nullptr;
    if (!(early ? check_file(early->schema, r) : check_file(db, r)))
        return std::nullopt;
    const auto limit = early && early->entries ? *early->entries : count_entries(db);
    if (!limit)
        return std::nullopt;
    // Threads that take ranges: as many as have min_entries_per_thread each. The ranges: a
    // few per thread, so that one that starts late or runs slower takes fewer, and larger
    // first, so that the last ones taken are short.
    const auto working =
        static_cast<unsigned>(std::min<std::uint64_t>(threads, *limit / per_thread));
    if (working < 2)
        return std::nullopt;
    const std::uint64_t ranges_per_thread = std::max(options.ranges_per_thread, 1u);
    const auto min_range = std::max<std::uint64_t>(per_thread / ranges_per_thread, 1);
    const auto parts = static_cast<unsigned>(
        std::min<std::uint64_t>(working * ranges_per_thread, *limit / min_range));
    const auto trusted_at = trusted_size(options);
    std::vector<checkpoint_row> checkpoints;  // filled by part 0 before any range runs
    std::vector<verify_report> scratch(parts);
    std::vector<entry_range> ranges;
    ranges.reserve(parts);
    const auto cuts = detail::part_cuts(parts, working);
    const auto starts = detail::part_starts(*limit, cuts);
    for (unsigned i = 0; i < parts; ++i) {
        ranges.emplace_back(options, checkpoints, i == 0 ? r : scratch[i], starts[i], starts[i + 1],
                            trusted_at);
        ranges.back().set_walk_index(i);
    }
    if (options.begin_walk)
        options.begin_walk(parts);
    std::latch prepared(1);
    bool prepared_ok = false;  // written before prepared.count_down(), read after wait()
    auto prepare = [&](sqlite::database& conn) {
        std::uint64_t loaded_limit = 0;
        if (load_checkpoints(conn, r, checkpoints, loaded_limit) && loaded_limit == *limit) {
            if (const auto genesis = read_genesis_ahead(conn, options)) {
                for (unsigned i = 1; i < parts; ++i)
                    ranges[i].assume_genesis(genesis->first, genesis->second);
                prepared_ok = true;
            }
        }
        prepared.count_down();
    };
    const auto bounds = box_part_bounds(cuts);
    std::vector<std::optional<box_part>> boxes(parts);
    std::vector<std::optional<merkle_range>> box_trees(parts);
    box_part_counts counts(parts);
    // Part i: box range i, then chain range i, on the connection of the thread that took it
    // (through that thread's statements).
    // It waits only for part 0's preparation and for the box counts of the parts before it;
    // parts are taken in order and each publishes its count (or failure) before it waits, so
    // every part it waits for has been taken and gets there.
    auto check_part = [&](std::size_t i, sqlite::statement_cache& statements) {
        if (i == 0)
            prepare(statements.db());
        std::string bad_key;
        auto part =
            scan_box_part(statements, i == 0 ? std::nullopt : std::optional(bounds[i - 1]),
                          i + 1 == parts ? std::nullopt : std::optional(bounds[i]), bad_key);
        if (!part) {
            counts.publish_failure(i);
            return false;
        }
        counts.publish(i, part->leaves.size());
        boxes[i].emplace(std::move(*part));
        prepared.wait();
        if (!prepared_ok || !ranges[i].run(statements))
            return false;
        const auto before = counts.sum_before(i);
        if (!before)
            return false;
        merkle_range tree(*before);
        for (const auto& leaf : boxes[i]->leaves)
            tree.append_leaf_hash(leaf);
        box_trees[i].emplace(std::move(tree));
        return true;
    };
    // Each thread takes the next part until none is left; after a failure the pass is
    // decided (the one-pass check follows), so no more are taken. A helper whose connection
    // failed takes none: the others do its share.
    std::atomic<unsigned> next_part{0};
    std::atomic<bool> failed{false};
    auto take_parts = [&](std::size_t t) {
        if (t > 0 && !*connections[t])
            return;
        auto& conn = t > 0 ? **connections[t] : db;
        // The thread's statements, one per query: its middle parts share two of them.
        // Finalized here, before the helper closes its connection.
        sqlite::statement_cache statements(conn);
        while (!failed.load(std::memory_order_relaxed)) {
            const auto i = next_part.fetch_add(1);
            if (i >= parts)
                return;
            if (!check_part(i, statements))
                failed.store(true, std::memory_order_relaxed);
        }
    };
    // Each helper closes its connection on its own thread, while this one joins the parts.
    helpers->threads.run(working, take_parts, [&](std::size_t t) { connections[t].reset(); });
    for (unsigned i = 1; i < parts; ++i)
        if (!box_trees[i] || !ranges[0].join(ranges[i]))
            return std::nullopt;
    if (!box_trees[0] || !ranges[0].finish())
        return std::nullopt;
    box_scan scan;
    merkle_range box = std::move(*box_trees[0]);
    for (unsigned i = 0; i < parts; ++i) {
        for (std::size_t s = 0; s < 2; ++s)
            scan.by_source[s] += boxes[i]->by_source[s];
        if (i > 0 && !box.append_range(*box_trees[i]))
            return std::nullopt;
    }
    scan.ballots = box.end();
    scan.root = box.root();
    if (!check_box(r, scan, ranges[0]))
        return std::nullopt;
    set_outcome(r, ranges[0]);
    r.threads = working;
    r.ranges = parts;
    return r;
}

verify_report verify_with(sqlite::database& db, const verify_options& options,
                          const connection_opener& open_connection, std::uint64_t max_entries,
                          std::unique_ptr<helper_team> started = nullptr) {
    if (open_connection && detail::thread_count(options) > 1)
        if (auto r =
                verify_in_ranges(db, options, open_connection, max_entries, std::move(started)))
            return std::move(*r);
    return verify_in_one_pass(db, options);
}

}  // namespace

verify_report verify_database(sqlite::database& db, const verify_options& options) {
    return verify_with(db, options, nullptr, 0);
}

verify_report verify(const std::filesystem::path& path, const verify_options& options) {
    // The helpers open their connections while this thread opens its own.
    verify_helpers helpers(path, options);
    auto db = open_for_one_read(path, options.vfs_name);
    if (!db) {
        verify_report report;
        report.problem = db.err();
        report.table = "file";
        return report;
    }
    return verify_file(*db, path, options, &helpers);
}

verify_report verify_file(sqlite::database& db, const std::filesystem::path& path,
                          const verify_options& options, verify_helpers* helpers) {
    read_once(db);
    return verify_with(
        db, options, [&] { return open_for_one_read(path, options.vfs_name); }, entry_bound(path),
        helpers ? helpers->take(path, options.vfs_name) : nullptr);
}

}  // namespace ballotbox::ledger
