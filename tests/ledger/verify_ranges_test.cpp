// verify() in ranges on several threads (verify.h, verify_entries.h) gives the same report as
// the one-pass check: for every way of cutting a scripted day, with and without the trusted
// checkpoint, open or closed, tampered at a cut, and for random byte flips anywhere in the
// file. verify_both (verify_both.h) also checks that a passing verdict came from the ranges.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <set>
#include <span>
#include <thread>

#include "crypto/random.h"
#include "ledger/fault_vfs.h"
#include "ledger/ledger_file.h"
#include "ledger/merkle.h"
#include "tests/ledger/scripted_day.h"
#include "tests/ledger/verify_both.h"
#include "tests/support/temp_dir.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace ballotbox::test_support;
namespace fs = std::filesystem;

namespace {

// Every range count from 2 up to one range per entry (at most 48), one range per thread:
// every cut position of the chain is some range's start.
void every_cut(const fs::path& file, verify_options options, std::uint64_t entries,
               verify_outcome expected) {
    options.ranges_per_thread = 1;
    for (unsigned threads = 2; threads <= std::min<std::uint64_t>(entries, 48); ++threads) {
        CAPTURE(threads);
        auto r = verify_both(file, options, threads);
        CHECK(r.outcome == expected);
    }
}

// A scripted day of at least 8 entries in `dir`, and a fault_vfs named `name` to open it through.
std::pair<day_result, std::unique_ptr<fault_vfs>> day_on_fault_vfs(const fs::path& dir,
                                                                   const std::string& name) {
    auto day = run_scripted_day(dir / "day.ledger");
    REQUIRE(day.entries >= 8);
    static crypto::seeded_random vfs_random{3};
    auto vfs = fault_vfs::create(name, vfs_random);
    REQUIRE(vfs.ok());
    return {std::move(day), std::move(*vfs)};
}

}  // namespace

TEST_CASE("a closed day verifies the same cut every way, with and without trusted checkpoints") {
    temp_dir dir{"verify-ranges"};
    auto day = run_scripted_day(dir / "day.ledger");
    REQUIRE(day.checkpoint_notes.size() >= 3);
    every_cut(day.file, {}, day.entries, verify_outcome::complete);
    verify_options trusted;
    trusted.trusted_checkpoint = day.checkpoint_notes.back();
    trusted.trusted_key = test_key(0x11).public_key();
    every_cut(day.file, trusted, day.entries, verify_outcome::complete);
    // An older checkpoint, met inside a later range: its root is checked once joined.
    trusted.trusted_checkpoint = day.checkpoint_notes[day.checkpoint_notes.size() / 2];
    every_cut(day.file, trusted, day.entries, verify_outcome::complete);
    // A checkpoint of another day signed with the same key and origin (more voters, so the
    // chains part after a few entries): its root differs from this day's at its size, which
    // a range that starts before that size sees only once joined.
    day_options other;
    other.voters = 30;
    auto rewritten = run_scripted_day(dir / "other.ledger", other);
    trusted.trusted_checkpoint = rewritten.checkpoint_notes.at(2);
    every_cut(day.file, trusted, day.entries, verify_outcome::failed);
}

TEST_CASE("an open day is incomplete the same way cut any way") {
    temp_dir dir{"verify-ranges-open"};
    day_options open;
    open.close = false;
    open.voters = 30;
    auto day = run_scripted_day(dir / "open.ledger", open);
    every_cut(day.file, {}, day.entries, verify_outcome::incomplete);
}

TEST_CASE("tampering at every cut: the ranges fall back and name the same place") {
    temp_dir dir{"verify-ranges-tamper"};
    auto day = run_scripted_day(dir / "day.ledger");
    auto copy = [&](const std::string& name) {
        auto p = dir / name;
        fs::copy_file(day.file, p);
        return p;
    };
    // A turnout checkpoint deleted: the turnout entry waits for it across every cut.
    auto no_checkpoint = copy("no-checkpoint.ledger");
    auto size = query_int(no_checkpoint,
                          "SELECT min(tree_size) FROM checkpoints WHERE tree_size > 1 AND "
                          "tree_size < (SELECT max(tree_size) FROM checkpoints)");
    exec_raw(no_checkpoint, "DELETE FROM checkpoints WHERE tree_size = " + std::to_string(size));
    every_cut(no_checkpoint, {}, day.entries, verify_outcome::failed);
    // The chain link broken in the middle: a cut there sees it only when joining.
    auto relinked = copy("relinked.ledger");
    exec_raw(relinked, "UPDATE entries SET prev_hash = zeroblob(32) WHERE seq = " +
                           std::to_string(day.entries / 2));
    every_cut(relinked, {}, day.entries, verify_outcome::failed);
    // An entry after the closing, chained and hashed right, in the last range.
    auto one_short = copy("one-short.ledger");
    exec_raw(one_short, "DELETE FROM entries WHERE seq = " + std::to_string(day.entries - 1));
    every_cut(one_short, {}, day.entries - 1, verify_outcome::failed);
}

TEST_CASE("random byte flips anywhere in the file: the same report either way") {
    temp_dir dir{"verify-ranges-flips"};
    auto day = run_scripted_day(dir / "day.ledger");
    std::ifstream in(day.file, std::ios::binary);
    const std::vector<char> original{std::istreambuf_iterator<char>(in), {}};
    REQUIRE(original.size() > 4096);
    std::mt19937_64 rng(61);
    auto flipped = dir / "flipped.ledger";
    int failed = 0;
    for (int round = 0; round < 400; ++round) {
        auto bytes = original;
        auto at = rng() % bytes.size();
        bytes[at] = static_cast<char>(bytes[at] ^ static_cast<char>(1u << (rng() % 8)));
        fs::remove(flipped);
        std::ofstream(flipped, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
        CAPTURE(at);
        auto r = verify_both(flipped, {}, 2 + static_cast<unsigned>(round % 5));
        failed += r.outcome == verify_outcome::failed;
    }
    // Most flips land in pages SQLite or verify() reads; some in unused space.
    CHECK(failed > 100);
}

TEST_CASE("consistency proofs between successive checkpoints, in one pass and at every cut") {
    temp_dir dir{"verify-ranges-proofs"};
    day_options open;
    open.close = false;
    for (auto [name, options] : {std::pair{"closed", day_options{}}, std::pair{"open", open}}) {
        CAPTURE(name);
        auto day = run_scripted_day(dir / (std::string(name) + ".ledger"), options);
        // Every leaf, from one pass, to compute the expected proofs independently.
        std::vector<digest> leaves;
        verify_options walk;
        walk.threads = 1;
        walk.walk_entry = [&](std::size_t, const verified_entry& e) {
            leaves.push_back(e.leaf_hash);
        };
        REQUIRE(verify(day.file, walk).outcome != verify_outcome::failed);
        REQUIRE(leaves.size() == day.entries);
        verify_options proofs;
        proofs.consistency_proofs = true;
        proofs.ranges_per_thread = 1;  // every range count, as every_cut
        for (unsigned threads = 1; threads <= std::min<std::uint64_t>(day.entries, 48); ++threads) {
            CAPTURE(threads);
            auto r =
                threads == 1 ? verify(day.file, proofs) : verify_both(day.file, proofs, threads);
            REQUIRE(r.outcome != verify_outcome::failed);
            REQUIRE(r.checkpoint_list.size() == day.checkpoint_notes.size());
            for (std::size_t j = 0; j < r.checkpoint_list.size(); ++j) {
                const auto& cp = r.checkpoint_list[j].signed_checkpoint;
                CAPTURE(cp.tree_size);
                CHECK(cp.root == merkle_root(std::span<const digest>(leaves.data(), cp.tree_size)));
                const auto& proof = r.checkpoint_list[j].proof_from_previous;
                if (j == 0) {
                    CHECK(proof.empty());
                    continue;
                }
                const auto& previous = r.checkpoint_list[j - 1].signed_checkpoint;
                CHECK(proof ==
                      merkle_consistency_proof(std::span<const digest>(leaves.data(), cp.tree_size),
                                               previous.tree_size));
                CHECK(merkle_verify_consistency(previous.tree_size, cp.tree_size, previous.root,
                                                cp.root, proof));
            }
        }
        // Without the option the list is there, without proofs.
        auto plain = verify(day.file);
        REQUIRE(plain.checkpoint_list.size() == day.checkpoint_notes.size());
        for (const auto& c : plain.checkpoint_list)
            CHECK(c.proof_from_previous.empty());
    }
}

TEST_CASE("walk_entry in ranges: every entry once, each range in seq order from its start") {
    temp_dir dir{"verify-ranges-walk"};
    auto day = run_scripted_day(dir / "day.ledger");
    for (auto [threads, per_thread] : {std::pair{2u, 1u}, {3u, 1u}, {7u, 1u}, {2u, 4u}, {3u, 5u}}) {
        CAPTURE(threads);
        CAPTURE(per_thread);
        REQUIRE(day.entries >= threads * per_thread);
        std::vector<std::vector<std::uint64_t>> seen;
        std::vector<std::mutex> guards(16);  // one per range: a range is walked on one thread
        verify_options options;
        options.threads = threads;
        options.ranges_per_thread = per_thread;
        options.min_entries_per_thread = 1;
        options.begin_walk = [&](std::size_t ranges) {
            REQUIRE(ranges <= guards.size());
            seen.assign(ranges, {});
        };
        options.walk_entry = [&](std::size_t range, const verified_entry& e) {
            std::lock_guard lock(guards.at(range));
            seen.at(range).push_back(e.seq);
        };
        auto r = verify(day.file, options);
        REQUIRE(r.complete());
        CHECK(r.threads == threads);
        CHECK(r.ranges == threads * per_thread);
        REQUIRE(seen.size() == threads * per_thread);
        std::uint64_t next = 0;
        for (const auto& range : seen) {
            CHECK_FALSE(range.empty());
            for (auto seq : range)
                CHECK(seq == next++);
        }
        CHECK(next == day.entries);
    }
}

TEST_CASE("a thread held up in its range leaves every other range to the free one") {
    temp_dir dir{"verify-ranges-held-up"};
    auto day = run_scripted_day(dir / "day.ledger");
    verify_options options;
    options.threads = 2;
    options.ranges_per_thread = 4;
    options.min_entries_per_thread = 1;
    REQUIRE(day.entries >= 8);
    const auto caller = std::this_thread::get_id();
    std::mutex guard;
    std::condition_variable walked;
    std::size_t ranges = 0;
    std::set<std::size_t> caller_ranges, helper_ranges;
    bool waited_out = false;
    options.begin_walk = [&](std::size_t n) { ranges = n; };
    // The helper is held on every entry it walks until the caller has walked an entry of every
    // other range: only a caller that takes whatever range is left can get there. A range
    // handed to the helper in advance would hold it until the time-out below.
    options.walk_entry = [&](std::size_t range, const verified_entry&) {
        std::unique_lock lock(guard);
        if (std::this_thread::get_id() == caller) {
            caller_ranges.insert(range);
            walked.notify_all();
            return;
        }
        helper_ranges.insert(range);
        if (!waited_out && !walked.wait_for(lock, std::chrono::seconds(30), [&] {
                return caller_ranges.size() + helper_ranges.size() == ranges;
            }))
            waited_out = true;
    };
    auto r = verify(day.file, options);
    CHECK(r.complete());
    CHECK(r.threads == 2);
    CHECK(r.ranges == 8);
    CHECK(ranges == 8);
    CHECK_FALSE(waited_out);
    CHECK(helper_ranges.size() <= 1);
    CHECK(caller_ranges.size() + helper_ranges.size() == 8);
}

TEST_CASE("a helper whose connection fails to open leaves its ranges to the others") {
    temp_dir dir{"verify-ranges-no-connection"};
    auto [day, vfs] = day_on_fault_vfs(dir.path(), "verify-no-connection");
    // The caller's connection is open before verify starts its helper: the next open is the
    // helper's (verify(path) starts its helpers first, so which open came first would race).
    auto db = open_file_for_reading(day.file, vfs->name());
    REQUIRE(db.ok());
    vfs->inject(fault_op::open_main_db, 1, SQLITE_CANTOPEN);
    const auto caller = std::this_thread::get_id();
    std::mutex guard;
    std::set<std::size_t> walked;
    bool walked_elsewhere = false;
    verify_options options;
    options.vfs_name = vfs->name();
    options.threads = 2;
    options.ranges_per_thread = 4;
    options.min_entries_per_thread = 1;
    options.walk_entry = [&](std::size_t range, const verified_entry&) {
        std::lock_guard lock(guard);
        walked.insert(range);
        walked_elsewhere = walked_elsewhere || std::this_thread::get_id() != caller;
    };
    auto r = verify_file(*db, day.file, options);
    CHECK(vfs->counters().faults_hit == 1);
    CHECK(vfs->counters().main_db_opens == 1);
    CHECK(r.complete());
    // Decided on the ranges, not by falling back to one pass: every range on the caller.
    CHECK(r.ranges == 8);
    CHECK(walked.size() == 8);
    CHECK_FALSE(walked_elsewhere);
}

TEST_CASE("a failed pass in ranges walks again in one pass, announced by begin_walk(1)") {
    temp_dir dir{"verify-ranges-walk-again"};
    auto day = run_scripted_day(dir / "day.ledger");
    // The last cast's body changed: every range but the last passes, so the ranges' walk
    // is well under way before the one-pass check takes over.
    exec_raw(day.file,
             "UPDATE entries SET body = CAST('{\"source\":0,\"window\":0}' AS BLOB) WHERE seq = "
             "(SELECT max(seq) FROM entries WHERE type = 4)");
    std::vector<std::size_t> passes;
    std::uint64_t walked_in_last_pass = 0;
    verify_options options;
    options.threads = 3;
    options.min_entries_per_thread = 1;
    REQUIRE(day.entries >= 3 * options.ranges_per_thread);
    options.begin_walk = [&](std::size_t ranges) {
        passes.push_back(ranges);
        walked_in_last_pass = 0;
    };
    std::mutex guard;
    options.walk_entry = [&](std::size_t, const verified_entry&) {
        std::lock_guard lock(guard);
        ++walked_in_last_pass;
    };
    auto r = verify(day.file, options);
    CHECK(r.outcome == verify_outcome::failed);
    REQUIRE(r.seq.has_value());
    CHECK(passes == std::vector<std::size_t>{3 * options.ranges_per_thread, 1});
    CHECK(walked_in_last_pass == *r.seq);  // everything before the failing entry, once
}

TEST_CASE("open_read_only on a big file's ranges goes on from where verify ended") {
    temp_dir dir{"verify-ranges-open-state"};
    auto day = run_scripted_day(dir / "day.ledger");
    verify_options one_pass;
    one_pass.threads = 1;
    verify_options in_ranges;
    in_ranges.threads = 4;
    in_ranges.min_entries_per_thread = 1;
    verify_report r1, r4;
    auto a = ledger::ledger::open_read_only(day.file, {}, one_pass, r1);
    auto b = ledger::ledger::open_read_only(day.file, {}, in_ranges, r4);
    REQUIRE(static_cast<bool>(a));
    REQUIRE(static_cast<bool>(b));
    CHECK(r1.threads == 1);
    CHECK(r4.threads == 4);
    CHECK(a->size() == day.entries);
    CHECK(b->size() == day.entries);
    CHECK(a->root() == b->root());
    CHECK(a->root() == *r1.root);
    CHECK(a->head_hash() == b->head_hash());
    auto last = a->read_entry(day.entries - 1);
    REQUIRE(static_cast<bool>(last));
    CHECK(a->head_hash() == last->entry_hash);
    CHECK(a->closed());
    CHECK(b->closed());
    CHECK(a->finalized());
}

TEST_CASE("verify opens no connection for a range the file's size leaves no room for") {
    temp_dir dir{"verify-helpers"};
    auto [day, vfs] = day_on_fault_vfs(dir.path(), "verify-opens");
    // How many connections verify opened on the file, and on how many ranges it decided.
    auto opens_and_ranges = [&](verify_options o) {
        const auto before = vfs->counters().main_db_opens;
        o.vfs_name = vfs->name();
        const auto r = verify(day.file, o);
        CHECK(r.outcome == verify_outcome::complete);
        return std::pair{vfs->counters().main_db_opens - before, r.threads};
    };
    verify_options o;
    o.threads = 8;
    // The default ranges (2,048 entries at least) cannot fit in a file this small: one pass,
    // on one connection (before, seven helpers opened theirs and closed them unused).
    CHECK(opens_and_ranges(o) == std::pair<std::uint64_t, unsigned>{1, 1});
    // Ranges of one entry: every thread has its part, on its own connection.
    o.min_entries_per_thread = 1;
    CHECK(opens_and_ranges(o) == std::pair<std::uint64_t, unsigned>{8, 8});
    // Ranges as large as a quarter of what the file could hold at most: four connections,
    // though the day's few entries then make one pass of it.
    o.min_entries_per_thread = fs::file_size(day.file) / 64 / 4;
    CHECK(opens_and_ranges(o) == std::pair<std::uint64_t, unsigned>{4, 1});
}
