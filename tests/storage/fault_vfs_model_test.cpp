// The fault VFS's durability model and fault injection, driven through the raw VFS file
// interface so every possible post-crash state can be enumerated and checked exactly.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <set>
#include <vector>

#include "crypto/random.h"
#include "ledger/fault_vfs.h"
#include "tests/storage/storage_util.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using storage_test::scratch_dir;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
bool exists(const std::string& path) {
    return std::filesystem::exists(path);
}

// One file opened through a registered VFS, closed on scope exit.
class vfs_file {
  public:
    vfs_file(const std::string& vfs_name, const std::string& path, int type_flag)
        : vfs_(sqlite3_vfs_find(vfs_name.c_str())), path_(path) {
        REQUIRE(vfs_ != nullptr);
        file_ = static_cast<sqlite3_file*>(std::calloc(1, vfs_->szOsFile));
        int out = 0;
        REQUIRE(vfs_->xOpen(vfs_, path_.c_str(), file_,
                            type_flag | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            &out) == SQLITE_OK);
    }
    ~vfs_file() {
        if (file_->pMethods != nullptr)
            file_->pMethods->xClose(file_);
        std::free(file_);
    }
    int write(const std::string& data, sqlite3_int64 offset) {
        return file_->pMethods->xWrite(file_, data.data(), static_cast<int>(data.size()), offset);
    }
    int truncate(sqlite3_int64 size) { return file_->pMethods->xTruncate(file_, size); }
    int sync() { return file_->pMethods->xSync(file_, SQLITE_SYNC_FULL); }

  private:
    sqlite3_vfs* vfs_;
    std::string path_;
    sqlite3_file* file_ = nullptr;
};

struct write_op {
    bool is_write;
    std::size_t offset;  // or new size
    std::string data;
};

std::string apply(std::string s, const write_op& o, std::size_t n) {
    if (!o.is_write) {
        s.resize(o.offset, '\0');
        return s;
    }
    if (s.size() < o.offset + n)
        s.resize(o.offset + n, '\0');
    s.replace(o.offset, n, o.data.substr(0, n));
    return s;
}

const std::string synced(1000, 'a');
const std::vector<write_op> unsynced = {
    {true, 200, std::string(500, 'b')},
    {true, 1000, std::string(300, 'c')},
    {false, 1100, ""},
};

// Runs: write+sync `synced`, then the unsynced ops, then a crash; returns the file.
std::string crash_once(crash_policy policy, std::uint64_t seed, crash_summary* out = nullptr) {
    scratch_dir dir;
    crypto::seeded_random rng(seed);
    auto vfs = fault_vfs::create("model-test", rng);
    REQUIRE(vfs.ok());
    const std::string path = dir.file("db");
    std::ofstream(path).close();  // an existing file: its name is durable
    {
        vfs_file f("model-test", path, SQLITE_OPEN_MAIN_DB);
        REQUIRE(f.write(synced, 0) == SQLITE_OK);
        REQUIRE(f.sync() == SQLITE_OK);
        for (const auto& o : unsynced)
            REQUIRE((o.is_write ? f.write(o.data, static_cast<sqlite3_int64>(o.offset))
                                : f.truncate(static_cast<sqlite3_int64>(o.offset))) == SQLITE_OK);
        auto summary = vfs.value()->crash(policy);
        REQUIRE(summary.ok());
        CHECK(summary->pending_ops == 3);
        if (out != nullptr)
            *out = *summary;
        // The machine is off: nothing more reaches the file.
        CHECK(f.write("zzz", 0) == SQLITE_IOERR_WRITE);
        CHECK(f.sync() == SQLITE_IOERR_FSYNC);
    }
    return read_file(path);
}

}  // namespace

TEST_CASE("fault VFS: drop_all keeps exactly what was synced") {
    for (std::uint64_t seed = 0; seed < 4; ++seed)
        CHECK(crash_once(crash_policy::drop_all, seed) == synced);
}

TEST_CASE("fault VFS: keep_prefix lands a prefix of the unsynced ops, and explores them all") {
    std::set<std::string> allowed;
    std::string s = synced;
    allowed.insert(s);
    for (const auto& o : unsynced)
        allowed.insert(s = apply(s, o, o.data.size()));
    std::set<std::string> seen;
    for (std::uint64_t seed = 0; seed < 48; ++seed) {
        auto got = crash_once(crash_policy::keep_prefix, seed);
        CHECK(allowed.count(got) == 1);
        seen.insert(got);
    }
    CHECK(seen == allowed);
}

TEST_CASE("fault VFS: tear lands a prefix of the ops and a byte prefix of the next write") {
    std::set<std::string> allowed;
    std::string s = synced;
    for (const auto& o : unsynced) {
        if (o.is_write)
            for (std::size_t n = 0; n < o.data.size(); ++n)
                allowed.insert(apply(s, o, n));
        else
            allowed.insert(s);  // a truncation is not torn: it lands or it does not
        s = apply(s, o, o.data.size());
    }
    int torn_inside = 0;
    for (std::uint64_t seed = 0; seed < 48; ++seed) {
        crash_summary summary;
        auto got = crash_once(crash_policy::tear, seed, &summary);
        CHECK(allowed.count(got) == 1);
        if (summary.torn_writes == 1 && got != synced)
            ++torn_inside;
    }
    CHECK(torn_inside > 0);
}

TEST_CASE("fault VFS: reorder lands any subset of the unsynced ops") {
    std::set<std::string> allowed;
    for (int mask = 0; mask < 8; ++mask) {
        std::string s = synced;
        for (int i = 0; i < 3; ++i)
            if ((mask >> i) & 1)
                s = apply(s, unsynced[i], unsynced[i].data.size());
        allowed.insert(s);
    }
    std::set<std::string> seen;
    for (std::uint64_t seed = 0; seed < 64; ++seed) {
        auto got = crash_once(crash_policy::reorder, seed);
        CHECK(allowed.count(got) == 1);
        seen.insert(got);
    }
    CHECK(seen.size() >= 6);
}

TEST_CASE("fault VFS: directory entries are durable only after a directory sync") {
    // (Contents are never one byte long: the unix VFS reports a 1-byte file as empty.)
    // The unix VFS syncs the directory at the first sync of a journal or WAL it created,
    // and at xDelete(syncDir=1); nothing else makes a creation or deletion durable.
    for (int variant = 0; variant < 3; ++variant) {
        CAPTURE(variant);
        scratch_dir dir;
        crypto::seeded_random rng(7);
        auto vfs = fault_vfs::create("model-files", rng);
        REQUIRE(vfs.ok());
        sqlite3_vfs* raw = sqlite3_vfs_find("model-files");
        const auto db = dir.file("db"), journal = dir.file("db-journal"), wal = dir.file("db-wal");
        {
            vfs_file d("model-files", db, SQLITE_OPEN_MAIN_DB);
            REQUIRE(d.write("DD", 0) == SQLITE_OK);
            REQUIRE(d.sync() == SQLITE_OK);  // its data, not its name
            if (variant > 0) {
                vfs_file j("model-files", journal, SQLITE_OPEN_MAIN_JOURNAL);
                REQUIRE(j.write("JJ", 0) == SQLITE_OK);
                REQUIRE(j.sync() == SQLITE_OK);  // syncs the directory: db and journal
                REQUIRE(j.write("jj", 2) == SQLITE_OK);
            }
            if (variant > 0)
                REQUIRE(raw->xDelete(raw, journal.c_str(), 0) == SQLITE_OK);
            vfs_file w("model-files", wal, SQLITE_OPEN_WAL);
            REQUIRE(w.write("WW", 0) == SQLITE_OK);
            if (variant == 2)
                REQUIRE(w.sync() == SQLITE_OK);  // makes the deletion durable
            REQUIRE(vfs.value()->crash(crash_policy::drop_all).ok());
        }
        auto summary = *vfs.value()->last_crash();
        CHECK(raw->xDelete(raw, wal.c_str(), 1) == SQLITE_IOERR_DELETE);  // machine is off
        switch (variant) {
            case 0:  // nothing synced the directory: the new database is gone
                CHECK_FALSE(exists(db));
                CHECK_FALSE(exists(wal));
                CHECK(summary.vanished == 2);
                break;
            case 1:  // the unsynced deletion is undone, with the journal's synced content
                CHECK(read_file(db) == "DD");
                CHECK(read_file(journal) == "JJ");
                CHECK_FALSE(exists(wal));
                CHECK(summary.resurrected == 1);
                break;
            default:
                CHECK(read_file(db) == "DD");
                CHECK_FALSE(exists(journal));
                CHECK(read_file(wal) == "WW");
                CHECK(summary.resurrected == 0);
        }
    }
}

TEST_CASE("fault VFS: injected faults fail one call, persistent ones and budgets keep failing") {
    scratch_dir dir;
    crypto::seeded_random rng(1);
    auto made = fault_vfs::create("model-faults", rng);
    REQUIRE(made.ok());
    fault_vfs& vfs = *made.value();
    CHECK_FALSE(fault_vfs::create("model-faults", rng).ok());  // name taken
    const auto path = dir.file("db");
    {
        vfs_file f("model-faults", path, SQLITE_OPEN_MAIN_DB);
        vfs.inject(fault_op::write, 2, SQLITE_FULL);
        CHECK(f.write("one", 0) == SQLITE_OK);
        CHECK(f.write("two", 3) == SQLITE_FULL);
        CHECK(f.write("six", 3) == SQLITE_OK);
        vfs.inject(fault_op::sync, 1, SQLITE_IOERR_FSYNC, true);
        CHECK(f.sync() == SQLITE_IOERR_FSYNC);
        CHECK(f.sync() == SQLITE_IOERR_FSYNC);
        vfs.inject(fault_op::truncate, 1, SQLITE_IOERR_TRUNCATE);
        CHECK(f.truncate(1) == SQLITE_IOERR_TRUNCATE);
        vfs.clear_faults();
        CHECK(f.sync() == SQLITE_OK);
        vfs.set_write_budget(5);
        CHECK(f.write("abcd", 6) == SQLITE_OK);
        CHECK(f.write("ef", 10) == SQLITE_FULL);
        CHECK(f.write("e", 10) == SQLITE_OK);
        CHECK(f.write("f", 11) == SQLITE_FULL);
        vfs.set_write_budget(std::nullopt);
        CHECK(f.write("f", 11) == SQLITE_OK);
        auto c = vfs.counters();
        CHECK(c.writes == 8);
        CHECK(c.syncs == 3);
        CHECK(c.truncates == 1);
        CHECK(c.faults_hit == 6);
        CHECK(vfs.reset().err().code == "ledger.fault_vfs_busy");
    }
    CHECK(read_file(path) == "onesixabcdef");
    CHECK(vfs.reset().ok());
    CHECK(vfs.counters().writes == 0);
}

TEST_CASE("fault VFS: crash_at a sync, before or after it takes effect") {
    for (bool after : {false, true}) {
        scratch_dir dir;
        crypto::seeded_random rng(3);
        auto vfs = fault_vfs::create("model-crash-at", rng);
        REQUIRE(vfs.ok());
        const auto path = dir.file("db");
        std::ofstream(path).close();
        {
            vfs_file f("model-crash-at", path, SQLITE_OPEN_MAIN_DB);
            REQUIRE(f.write("first", 0) == SQLITE_OK);
            REQUIRE(f.sync() == SQLITE_OK);
            vfs.value()->crash_at(fault_op::sync, 1, crash_policy::drop_all, after);
            REQUIRE(f.write("SECOND", 0) == SQLITE_OK);
            CHECK_FALSE(vfs.value()->crashed());
            CHECK(f.sync() == SQLITE_IOERR_FSYNC);
            CHECK(vfs.value()->crashed());
            CHECK(f.write("third!", 0) == SQLITE_IOERR_WRITE);
        }
        CHECK(read_file(path) == (after ? "SECOND" : "first"));
    }
}
