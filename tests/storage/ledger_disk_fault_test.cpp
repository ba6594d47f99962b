// Disk full and I/O errors during an append: at every write and every sync of one append
// (an event, a cast with its ballot, a checkpoint), the append returns a clear error value,
// leaves no partial entry, and once the fault clears the next append succeeds, or the
// ledger says it must be reopened and reopening works.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <optional>

#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "ledger/fault_vfs.h"
#include "ledger/ledger.h"
#include "ledger/verify.h"
#include "tests/storage/storage_util.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace std::chrono_literals;
using storage_test::raw_db;
using storage_test::scratch_dir;
using ledger_t = ballotbox::ledger::ledger;

namespace {

constexpr const char* origin = "ballotbox.example/storage-test/station/010001/device/01";

crypto::ed25519_private_key fault_key() {
    return std::move(crypto::ed25519_private_key::from_seed(bytes(32, 0x33)).value());
}

struct counts {
    long long entries = 0, ballots = 0, checkpoints = 0, casts = 0;
    friend bool operator==(const counts&, const counts&) = default;
};

// Committed state, read on the default VFS, read-only.
counts committed(const std::string& file) {
    raw_db db(file, nullptr, SQLITE_OPEN_READONLY);
    REQUIRE(db.open_rc() == SQLITE_OK);
    CHECK(db.text("PRAGMA integrity_check") == "ok");
    return {db.integer("SELECT count(*) FROM entries"), db.integer("SELECT count(*) FROM ballots"),
            db.integer("SELECT count(*) FROM checkpoints"),
            db.integer("SELECT count(*) FROM entries WHERE type = 4")};
}

struct fixture {
    scratch_dir dir;
    std::string file = dir.file("ledger.db");
    crypto::seeded_random vfs_random{9};
    std::unique_ptr<fault_vfs> vfs;
    manual_clock clock{time_point(std::chrono::seconds(1679187600))};
    crypto::seeded_random random{10};
    crypto::ed25519_private_key key = fault_key();
    std::optional<ledger_t> l;
    int voter = 0;

    fixture() {
        auto made = fault_vfs::create("disk-fault", vfs_random);
        REQUIRE(made.ok());
        vfs = std::move(made.value());
        genesis_info g;
        g.election_package_sha256 = crypto::sha256(as_bytes("disk fault package"));
        g.appliance_key = key.public_key().raw();
        g.origin = origin;
        auto created = ledger_t::create(file, options(), g);
        REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.err().message));
        l.emplace(std::move(*created));
        REQUIRE(l->append(event_type::opening, {{"zero_report", true}}).ok());
        REQUIRE(l->append_checkpoint(checkpoint_kind::opening, key).ok());
        for (int i = 0; i < 6; ++i) {
            REQUIRE(issue().ok());
            REQUIRE(cast().ok());
        }
    }
    ~fixture() { l.reset(); }

    ledger_options options() {
        ledger_options o;
        o.vfs_name = "disk-fault";
        o.clock = &clock;
        o.random = &random;
        return o;
    }
    result<std::uint64_t> issue() { return l->append(event_type::issue, {{"style", 0}}); }
    result<std::uint64_t> cast() {
        ballot b;
        b.record = to_bytes("record of voter " + std::to_string(voter));
        if (voter % 2 == 1)
            b.record.resize(9000, 0x42);  // spans overflow pages
        b.booth_signature = bytes(64, static_cast<std::uint8_t>(voter));
        b.token = bytes(16, 0);
        random.fill(b.token);
        ++voter;
        clock.advance(3min);
        return l->append_cast(b);
    }
    result<std::uint64_t> checkpoint() {
        auto r = l->append_checkpoint(checkpoint_kind::other, key);
        if (!r)
            return r.err();
        return l->size();
    }
    void reopen() {
        l.reset();
        auto opened = ledger_t::open(file, options());
        REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.err().message));
        l.emplace(std::move(*opened));
    }
};

enum class append_kind { event, cast, checkpoint };

const char* kind_name(append_kind k) {
    return k == append_kind::event ? "event" : k == append_kind::cast ? "cast" : "checkpoint";
}

struct fault_case {
    fault_op op;
    int code;
    const char* expected;
};

// Injects `fc` at the 1st, 2nd, ... call of its kind during one append of `kind`, until an
// append no longer reaches the fault. Returns how many faulted appends were checked.
int every_call_of_one_append(append_kind kind, const fault_case& fc) {
    fixture f;
    int faulted = 0, reopened = 0, landed = 0;
    auto attempt = [&]() -> result<std::uint64_t> {
        switch (kind) {
            case append_kind::event:
                return f.issue();
            case append_kind::cast:
                return f.cast();
            case append_kind::checkpoint:
                break;
        }
        return f.checkpoint();
    };
    for (std::uint64_t k = 1; k < 200; ++k) {
        CAPTURE(k);
        // A checkpoint needs a new entry to sign over (one per tree size).
        if (kind == append_kind::checkpoint)
            REQUIRE(f.issue().ok());
        const counts before = committed(f.file);
        const auto hits_before = f.vfs->counters().faults_hit;
        f.vfs->inject(fc.op, k, fc.code);
        auto r = attempt();
        f.vfs->clear_faults();
        if (f.vfs->counters().faults_hit == hits_before) {
            // k is past this append's last call of that kind: the append must have worked.
            CHECK(r.ok());
            break;
        }
        if (r.ok()) {
            // SQLite got round the failed call (e.g. a failed write to a file it then
            // rewrote); the append is complete and acknowledged.
            CHECK(committed(f.file).entries >= before.entries);
            continue;
        }
        ++faulted;
        CHECK(r.err().code == fc.expected);
        CHECK_FALSE(r.err().message.empty());
        counts after = committed(f.file);
        if (f.l->must_reopen()) {
            // Whether the commit reached the file is unknown until reopened.
            auto refused = f.issue();
            REQUIRE_FALSE(refused.ok());
            CHECK(refused.err().code == "ledger.must_reopen");
            f.reopen();
            ++reopened;
            after = committed(f.file);
        }
        // Nothing partial: the append is entirely absent or (after a failed commit sync,
        // once reopened) entirely there, cast event and ballot row together.
        counts whole = before;
        if (kind == append_kind::checkpoint) {
            ++whole.checkpoints;
        } else {
            ++whole.entries;
            if (kind == append_kind::cast)
                ++whole.ballots, ++whole.casts;
        }
        CHECK((after == before || after == whole));
        if (after == whole)
            ++landed;
        CHECK(after.casts == after.ballots);
        CHECK(static_cast<long long>(f.l->size()) == after.entries);
        auto report = verify(f.file);
        INFO(report.summary());
        CHECK(report.outcome == verify_outcome::incomplete);
        // The fault has cleared: the next append works.
        auto next = attempt();
        CHECK_MESSAGE(next.ok(), (next.ok() ? "" : next.err().message));
    }
    MESSAGE(std::string(kind_name(kind))
            << " / " << std::string(fc.expected) << ": " << faulted << " faulted appends, reopened "
            << reopened << ", landed " << landed);
    CHECK(faulted > 0);
    return faulted;
}

}  // namespace

TEST_CASE("ledger disk full: a write failing with SQLITE_FULL at any point of one append") {
    const fault_case fc{fault_op::write, SQLITE_FULL, "ledger.disk_full"};
    for (auto kind : {append_kind::event, append_kind::cast, append_kind::checkpoint})
        every_call_of_one_append(kind, fc);
}

TEST_CASE("ledger I/O error: a write failing with SQLITE_IOERR_WRITE at any point of one append") {
    const fault_case fc{fault_op::write, SQLITE_IOERR_WRITE, "ledger.io_error"};
    for (auto kind : {append_kind::event, append_kind::cast, append_kind::checkpoint})
        every_call_of_one_append(kind, fc);
}

TEST_CASE("ledger I/O error: a sync failing with SQLITE_IOERR_FSYNC at any point of one append") {
    const fault_case fc{fault_op::sync, SQLITE_IOERR_FSYNC, "ledger.io_error"};
    for (auto kind : {append_kind::event, append_kind::cast, append_kind::checkpoint})
        every_call_of_one_append(kind, fc);
}

TEST_CASE("ledger disk full: a disk that stays full refuses every append until space is freed") {
    fixture f;
    const counts before = committed(f.file);
    f.vfs->set_write_budget(0);
    for (int i = 0; i < 3; ++i) {
        auto r = f.cast();
        REQUIRE_FALSE(r.ok());
        // The first refusal says why; a ledger that then must be reopened says that.
        CHECK((r.err().code == "ledger.disk_full" || r.err().code == "ledger.must_reopen"));
        if (i == 0)
            CHECK(r.err().code == "ledger.disk_full");
        if (r.err().code == "ledger.disk_full")
            CHECK(r.err().message.find("free space") != std::string::npos);
    }
    CHECK(committed(f.file) == before);
    f.vfs->set_write_budget(std::nullopt);  // the chair frees space
    if (f.l->must_reopen())
        f.reopen();
    CHECK(committed(f.file) == before);
    auto r = f.cast();
    CHECK_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message));
    CHECK(committed(f.file).ballots == before.ballots + 1);
    CHECK(verify(f.file).outcome == verify_outcome::incomplete);
}
