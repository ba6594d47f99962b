// verify_helpers (verify_helpers.h): verify's threads started ahead of it open their
// connections at once, before the verify; the verify given them works on them and opens no
// more; helpers for another file, or unused, are left alone and released; a verify that
// ends in one pass (tampering) still names the first failure; the reader's connection opened
// ahead is what the read-only open takes, with the checks made on it.
#include "ledger/verify_helpers.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "crypto/random.h"
#include "ledger/bodies.h"
#include "ledger/fault_vfs.h"
#include "ledger/ledger.h"
#include "ledger/ledger_file.h"
#include "tests/ledger/scripted_day.h"
#include "tests/support/temp_dir.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace ballotbox::test_support;
namespace fs = std::filesystem;

namespace {

// Waits until the fault_vfs has seen `opens` main-database opens in all (30 s at most).
bool wait_for_opens(const fault_vfs& vfs, std::uint64_t opens) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (vfs.counters().main_db_opens < opens) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

// verify_file() on a connection of its own to `file`, through options.vfs_name.
verify_report open_and_verify(const fs::path& file, const verify_options& options,
                              verify_helpers* helpers) {
    auto db = open_file_for_reading(file, options.vfs_name);
    REQUIRE(db.ok());
    return verify_file(*db, file, options, helpers);
}

// ledger::open_read_only() of `file` through options.vfs_name, verifying with `options`.
result<ledger::ledger> open_reader(const fs::path& file, const verify_options& options,
                                   verify_report& report, verify_helpers* helpers = nullptr) {
    ledger_options reader_options;
    reader_options.vfs_name = options.vfs_name;
    return ledger::ledger::open_read_only(file, reader_options, options, report, helpers);
}

verify_options ranges_of_one_entry(unsigned threads) {
    verify_options o;
    o.threads = threads;
    o.min_entries_per_thread = 1;
    return o;
}

}  // namespace

TEST_CASE("helpers started ahead open their connections at once, and verify works on them") {
    temp_dir dir{"verify-helpers-ahead"};
    auto day = run_scripted_day(dir / "day.ledger");
    REQUIRE(day.entries >= 8);
    crypto::seeded_random random{5};
    auto vfs = fault_vfs::create("verify-helpers-ahead", random);
    REQUIRE(vfs.ok());
    auto options = ranges_of_one_entry(4);
    options.vfs_name = (*vfs)->name();
    verify_helpers helpers(day.file, options);
    CHECK(helpers.waiting() == 3);
    // Before any verify: the three helpers open their connections on their own threads.
    REQUIRE(wait_for_opens(**vfs, 3));
    auto r = open_and_verify(day.file, options, &helpers);
    CHECK(r.complete());
    CHECK(r.threads == 4);
    CHECK(r.ranges == 16);
    // The caller's connection and the helpers': a verify that started threads of its own
    // would have opened three more.
    CHECK((*vfs)->counters().main_db_opens == 4);
    CHECK(helpers.waiting() == 0);
    // Taken once: the next verify given them starts its own threads.
    auto again = open_and_verify(day.file, options, &helpers);
    CHECK(again.complete());
    CHECK(again.threads == 4);
    CHECK((*vfs)->counters().main_db_opens == 8);
}

TEST_CASE("helpers for another file are left alone, unused ones are released, none for nothing") {
    temp_dir dir{"verify-helpers-other"};
    auto a = run_scripted_day(dir / "a.ledger");
    auto b = run_scripted_day(dir / "b.ledger");
    const auto options = ranges_of_one_entry(3);
    {
        verify_helpers for_a(a.file, options);
        REQUIRE(for_a.waiting() == 2);
        auto r = open_and_verify(b.file, options, &for_a);
        CHECK(r.complete());
        CHECK(r.threads == 3);
        CHECK(for_a.waiting() == 2);  // b's verify started its own
        // Another VFS is another file as far as the helpers go: given a's path with the
        // fault_vfs's name, the verify runs on threads of its own through that VFS.
        crypto::seeded_random random{7};
        auto vfs = fault_vfs::create("verify-helpers-other", random);
        REQUIRE(vfs.ok());
        auto through_vfs = options;
        through_vfs.vfs_name = (*vfs)->name();
        CHECK(open_and_verify(a.file, through_vfs, &for_a).complete());
        CHECK((*vfs)->counters().main_db_opens == 3);
        CHECK(for_a.waiting() == 2);
    }  // released and joined here, never having had work
    CHECK(verify_helpers(dir / "missing.ledger", options).waiting() == 0);
    // The default ranges (2,048 entries each) do not fit in a day this small.
    CHECK(verify_helpers(a.file, verify_options{}).waiting() == 0);
}

TEST_CASE("helpers started ahead of a tampered file: the one-pass check still names the entry") {
    temp_dir dir{"verify-helpers-tampered"};
    auto day = run_scripted_day(dir / "day.ledger");
    const auto seq = day.entries / 2;
    exec_raw(day.file, "UPDATE entries SET body = x'7b7d' WHERE seq = " + std::to_string(seq));
    const auto options = ranges_of_one_entry(2);
    verify_helpers helpers(day.file, options);
    REQUIRE(helpers.waiting() == 1);
    auto r = open_and_verify(day.file, options, &helpers);
    CHECK(r.outcome == verify_outcome::failed);
    CHECK(r.problem->code == "ledger.entry_hash_mismatch");
    CHECK(r.seq == seq);
    CHECK(r.threads == 1);  // the verdict comes from the one-pass check
    CHECK(helpers.waiting() == 0);
}

TEST_CASE("a FIFO is not a ledger: no helper opens it, verify refuses it without waiting") {
    temp_dir dir{"verify-helpers-fifo"};
    const auto fifo = dir / "ledger.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Opened, the FIFO would block its reader until a writer came: none ever does here.
    CHECK(verify_helpers(fifo, ranges_of_one_entry(4)).waiting() == 0);
    auto r = verify(fifo, ranges_of_one_entry(4));
    CHECK(r.outcome == verify_outcome::failed);
    REQUIRE(r.problem.has_value());
    CHECK(r.problem->code == "ledger.cannot_open");
    CHECK(r.problem->message.find("not a regular file") != std::string::npos);
}

TEST_CASE("a reader opened ahead: the read-only open takes it and its checks, and opens no more") {
    temp_dir dir{"verify-helpers-reader"};
    auto day = run_scripted_day(dir / "day.ledger");
    crypto::seeded_random random{11};
    auto vfs = fault_vfs::create("verify-helpers-reader", random);
    REQUIRE(vfs.ok());
    auto options = ranges_of_one_entry(3);
    options.vfs_name = (*vfs)->name();
    verify_helpers helpers(day.file, options, true);
    REQUIRE(helpers.waiting() == 2);
    // The reader's connection and the two helpers' own, all before the open.
    REQUIRE(wait_for_opens(**vfs, 3));
    verify_report report;
    auto book = open_reader(day.file, options, report, &helpers);
    REQUIRE(book.ok());
    CHECK(report.complete());
    CHECK(report.threads == 3);
    CHECK((*vfs)->counters().main_db_opens == 3);
    CHECK(helpers.waiting() == 0);
    // The ledger's state comes from the report: the same as read from the file.
    CHECK(book->size() == day.entries);
    CHECK(book->finalized());
    CHECK(book->closed());
    auto genesis = book->read_entry(0);
    REQUIRE(genesis.ok());
    auto parsed = parse_genesis_body(genesis->body);
    REQUIRE(parsed.ok());
    CHECK(book->genesis().origin == parsed->origin);
    CHECK(book->genesis().appliance_key == parsed->appliance_key);
    CHECK(book->genesis().election_package_sha256 == parsed->election_package_sha256);
    CHECK(book->genesis().extra == parsed->extra);
}

TEST_CASE("a reader opened ahead of a file with an extra table: the open names the schema") {
    temp_dir dir{"verify-helpers-reader-schema"};
    auto day = run_scripted_day(dir / "day.ledger");
    exec_raw(day.file, "CREATE TABLE extra(x)");
    const auto options = ranges_of_one_entry(2);
    verify_helpers helpers(day.file, options, true);
    REQUIRE(helpers.waiting() == 1);
    verify_report ahead, alone;
    auto with_helpers = open_reader(day.file, options, ahead, &helpers);
    auto without = open_reader(day.file, options, alone);
    CHECK_FALSE(with_helpers.ok());
    CHECK_FALSE(without.ok());
    CHECK(ahead.outcome == verify_outcome::failed);
    CHECK(ahead.table == "schema");
    REQUIRE(ahead.problem.has_value());
    REQUIRE(alone.problem.has_value());
    CHECK(ahead.problem->code == alone.problem->code);
    CHECK(ahead.problem->message == alone.problem->message);
    CHECK(ahead.problem->message.find("extra") != std::string::npos);
}

TEST_CASE("a reader opened ahead is taken once, for its own file only") {
    temp_dir dir{"verify-helpers-reader-once"};
    auto a = run_scripted_day(dir / "a.ledger");
    auto b = run_scripted_day(dir / "b.ledger");
    const auto options = ranges_of_one_entry(2);
    verify_helpers not_asked(a.file, options);
    CHECK_FALSE(not_asked.take_reader(a.file, "").has_value());
    verify_helpers helpers(a.file, options, true);
    CHECK_FALSE(helpers.take_reader(b.file, "").has_value());
    auto reader = helpers.take_reader(a.file, "");
    REQUIRE(reader.has_value());
    CHECK(reader->ok());
    CHECK_FALSE(helpers.take_reader(a.file, "").has_value());
    // The helper itself is still there for the verify.
    CHECK(helpers.waiting() == 1);
}

TEST_CASE("a reader that could not be opened ahead: the read-only open fails with its error") {
    temp_dir dir{"verify-helpers-reader-fails"};
    auto day = run_scripted_day(dir / "day.ledger");
    crypto::seeded_random random{13};
    auto vfs = fault_vfs::create("verify-helpers-reader-fails", random);
    REQUIRE(vfs.ok());
    // The first open through the VFS is the reader's: helper 1 opens it before its own.
    (*vfs)->inject(fault_op::open_main_db, 1, SQLITE_CANTOPEN);
    auto options = ranges_of_one_entry(2);
    options.vfs_name = (*vfs)->name();
    verify_helpers helpers(day.file, options, true);
    verify_report report;
    auto book = open_reader(day.file, options, report, &helpers);
    REQUIRE_FALSE(book.ok());
    CHECK(book.err().message.find("unable to open") != std::string::npos);
    // Taken once, failed or not; the helper itself is left for a verify of its own.
    CHECK_FALSE(helpers.take_reader(day.file, options.vfs_name).has_value());
    CHECK(helpers.waiting() == 1);
    // Opened afresh, the same file verifies.
    verify_report again;
    CHECK(open_reader(day.file, options, again).ok());
    CHECK(again.complete());
}
