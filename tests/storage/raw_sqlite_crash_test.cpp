// Power loss on plain SQLite (WAL, synchronous=FULL) through the fault VFS: a crash at every
// sync point of a run of transactions, under every crash policy, must keep every
// acknowledged commit, never show part of an unacknowledged one, and leave a database that
// passes integrity_check and takes new commits. This is what shows the VFS models crashes
// sanely before the ledger is tested on it. Controls with weaker sync settings show that
// the model really does lose unsynced data.
#include <doctest/doctest.h>

#include <string>

#include "crypto/random.h"
#include "ledger/fault_vfs.h"
#include "tests/storage/storage_util.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using storage_test::raw_db;
using storage_test::scratch_dir;

namespace {

constexpr int transactions = 40;
constexpr const char* vfs_name = "raw-crash";

// Row i's payload: some rows span overflow pages, so one commit writes many WAL frames.
std::string payload_sql(int i) {
    int size = i % 7 == 0 ? 9000 : 60 + 13 * i;
    return "substr(replace(hex(zeroblob(" + std::to_string(size) + ")), '0', char(" +
           std::to_string(65 + i % 26) + ")), 1, " + std::to_string(size) + ")";
}

// Step 0 creates the schema; steps 1..transactions insert row i and update the totals in
// one transaction. Returns how many steps were acknowledged (stops at the first failure).
// With crash_before_close, `vfs` loses power while the connection is still open (a clean
// close would checkpoint and sync everything).
int run_script(const std::string& path, const char* vfs, const std::string& sync_mode,
               fault_vfs* crash_before_close = nullptr) {
    raw_db db(path, vfs);
    struct crash_guard {
        fault_vfs* vfs;
        ~crash_guard() {
            if (vfs != nullptr)
                CHECK(vfs->crash(crash_policy::drop_all).ok());
        }
    } guard{crash_before_close};
    if (db.open_rc() != SQLITE_OK)
        return 0;
    if (db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=" + sync_mode +
                "; PRAGMA wal_autocheckpoint=12; PRAGMA cache_size=4") != SQLITE_OK)
        return 0;
    if (db.exec("BEGIN; CREATE TABLE t(id INTEGER PRIMARY KEY, payload TEXT NOT NULL);"
                "CREATE TABLE totals(n INTEGER, s INTEGER); INSERT INTO totals VALUES(0, 0);"
                "COMMIT") != SQLITE_OK)
        return 0;
    int acknowledged = 1;
    for (int i = 1; i <= transactions; ++i) {
        std::string sql = "BEGIN; INSERT INTO t VALUES(" + std::to_string(i) + ", " +
                          payload_sql(i) + "); UPDATE totals SET n = n + 1, s = s + " +
                          std::to_string(i) + "; COMMIT";
        if (db.exec(sql) != SQLITE_OK)
            return acknowledged;
        ++acknowledged;
    }
    return acknowledged;
}

// Checks the reopened database (default VFS) against `acknowledged` steps; returns the
// number of steps present.
int check_after_crash(const std::string& path, int acknowledged) {
    raw_db db(path, nullptr);
    REQUIRE(db.open_rc() == SQLITE_OK);
    CHECK(db.text("PRAGMA integrity_check") == "ok");
    bool schema = db.integer("SELECT count(*) FROM sqlite_schema WHERE name='totals'") == 1;
    if (!schema) {
        CHECK(acknowledged == 0);
        return 0;
    }
    long long rows = db.integer("SELECT count(*) FROM t");
    // Rows are exactly 1..rows with the right payloads, and the totals match them.
    CHECK(db.integer("SELECT coalesce(max(id), 0) FROM t") == rows);
    long long good = 0;
    for (long long i = 1; i <= rows; ++i)
        good += db.integer("SELECT payload = " + payload_sql(static_cast<int>(i)) +
                           " FROM t WHERE id=" + std::to_string(i));
    CHECK(good == rows);
    CHECK(db.integer("SELECT n FROM totals") == rows);
    CHECK(db.integer("SELECT s FROM totals") == rows * (rows + 1) / 2);
    int present = static_cast<int>(rows) + 1;
    CHECK(present >= acknowledged);
    CHECK(present <= acknowledged + 1);
    // And it takes new commits.
    CHECK(db.exec("INSERT INTO t VALUES(1000, 'after'); UPDATE totals SET n = n + 1") == SQLITE_OK);
    CHECK(db.text("PRAGMA integrity_check") == "ok");
    return present;
}

}  // namespace

TEST_CASE("raw SQLite: a crash at every sync point keeps every acknowledged commit") {
    scratch_dir dir;
    const std::string path = dir.file("raw.db");
    crypto::seeded_random rng(0);
    auto made = fault_vfs::create(vfs_name, rng);
    REQUIRE(made.ok());
    fault_vfs& vfs = *made.value();

    REQUIRE(run_script(path, vfs_name, "FULL") == transactions + 1);
    const auto clean = vfs.counters();
    REQUIRE(clean.syncs > transactions);  // a sync per commit, plus the checkpoints
    REQUIRE(vfs.reset().ok());
    dir.empty();

    const crash_policy policies[] = {crash_policy::drop_all, crash_policy::keep_prefix,
                                     crash_policy::tear, crash_policy::reorder};
    int scenarios = 0, partial_steps_seen = 0;
    for (std::uint64_t k = 1; k <= clean.syncs + 1; ++k) {
        for (auto policy : policies) {
            // Before or after the sync takes effect, alternately.
            const bool after = (k + static_cast<std::uint64_t>(policy)) % 2 == 1;
            {
                CAPTURE(k);
                CAPTURE(std::string(to_string(policy)));
                CAPTURE(after);
                rng = crypto::seeded_random(k * 8 + static_cast<std::uint64_t>(policy) * 2 +
                                            (after ? 1 : 0));
                vfs.crash_at(fault_op::sync, k, policy, after);
                int acknowledged = run_script(path, vfs_name, "FULL");
                if (!vfs.crashed())
                    REQUIRE(vfs.crash(policy).ok());  // k past the end
                REQUIRE(vfs.last_crash().ok());
                int present = check_after_crash(path, acknowledged);
                if (present == acknowledged + 1)
                    ++partial_steps_seen;
                ++scenarios;
                REQUIRE(vfs.reset().ok());
                dir.empty();
            }
        }
    }
    MESSAGE("raw SQLite crash scenarios: " << scenarios << " over " << clean.syncs
                                           << " sync points; unacknowledged commit found "
                                           << "durable in " << partial_steps_seen);
    CHECK(scenarios == static_cast<int>(clean.syncs + 1) * 4);
    // Crashing just after the commit's sync makes it durable though never acknowledged.
    CHECK(partial_steps_seen > 0);
}

TEST_CASE("raw SQLite: a crash at every write of the run, torn, keeps every acknowledged commit") {
    scratch_dir dir;
    const std::string path = dir.file("raw.db");
    crypto::seeded_random rng(1);
    auto made = fault_vfs::create(vfs_name, rng);
    REQUIRE(made.ok());
    fault_vfs& vfs = *made.value();
    REQUIRE(run_script(path, vfs_name, "FULL") == transactions + 1);
    const auto writes = vfs.counters().writes;
    REQUIRE(vfs.reset().ok());
    dir.empty();
    // Every third write (the run has a few hundred): tear it or drop it, alternately.
    int scenarios = 0;
    for (std::uint64_t k = 1; k <= writes; k += 3) {
        CAPTURE(k);
        rng = crypto::seeded_random(k);
        auto policy = k % 2 == 0 ? crash_policy::tear : crash_policy::reorder;
        vfs.crash_at(fault_op::write, k, policy, k % 2 == 0);
        int acknowledged = run_script(path, vfs_name, "FULL");
        REQUIRE(vfs.crashed());
        check_after_crash(path, acknowledged);
        ++scenarios;
        REQUIRE(vfs.reset().ok());
        dir.empty();
    }
    MESSAGE("raw SQLite write-point crash scenarios: " << scenarios << " of " << writes
                                                       << " writes");
    CHECK(scenarios > 0);
}

TEST_CASE("raw SQLite control: without syncs the model loses acknowledged commits") {
    // synchronous=OFF never syncs and synchronous=NORMAL in WAL mode syncs only at
    // checkpoints: SQLite documents that both may lose recent commits at a power loss
    // (but stay consistent). If the model kept them, it would prove nothing above.
    for (std::string mode : {"OFF", "NORMAL"}) {
        CAPTURE(mode);
        scratch_dir dir;
        const std::string path = dir.file("raw.db");
        crypto::seeded_random rng(2);
        auto made = fault_vfs::create(vfs_name, rng);
        REQUIRE(made.ok());
        int acknowledged = run_script(path, vfs_name, mode, made.value().get());
        REQUIRE(acknowledged == transactions + 1);
        REQUIRE(made.value()->crashed());
        {
            raw_db db(path, nullptr);
            CHECK(db.text("PRAGMA integrity_check") == "ok");
            // -1: not even the table survived.
            long long rows = db.integer("SELECT count(*) FROM t");
            CHECK(rows < transactions);
            MESSAGE("synchronous=" << mode << ": " << rows << " of " << transactions
                                   << " acknowledged rows survived");
        }
    }
}
