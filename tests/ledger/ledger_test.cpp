// Opening, appending and refusing: the ledger object's own rules on real files.
#include "ledger/ledger.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "ledger/merkle.h"
#include "tests/ledger/scripted_day.h"
#include "tests/support/temp_dir.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace ballotbox::test_support;
namespace fs = std::filesystem;

namespace {

std::string file_digest(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return to_hex(crypto::sha256(as_bytes(data)));
}

ballot some_ballot(const std::string& token) {
    return ballot{to_bytes("record"), bytes(64, 7), to_bytes(token), ballot_source::stationary};
}

}  // namespace

TEST_CASE("open() refuses a tampered file for writing and names the entry") {
    temp_dir dir("ledger-open");
    auto day = run_scripted_day(dir / "d.ledger");
    exec_raw(day.file, "UPDATE entries SET body = CAST('{\"style\":2}' AS BLOB) WHERE seq = 4");
    auto l = ledger::ledger::open(day.file);
    REQUIRE_FALSE(l.ok());
    CHECK(l.err().code == "ledger.verification_failed");
    CHECK(l.err().message.find("entry 4") != std::string::npos);
    CHECK(l.err().message.find("ledger.entry_hash_mismatch") != std::string::npos);
    auto ro = ledger::ledger::open_read_only(day.file);
    REQUIRE_FALSE(ro.ok());
    CHECK(ro.err().code == "ledger.verification_failed");
}

TEST_CASE("open_read_only leaves the file's bytes unchanged and cannot append") {
    temp_dir dir("ledger-open");
    day_options o;
    o.close = false;
    auto day = run_scripted_day(dir / "d.ledger", o);
    auto before = file_digest(day.file);
    {
        auto l = ledger::ledger::open_read_only(day.file);
        REQUIRE(l.ok());
        CHECK(l->size() == day.entries);
        CHECK(l->read_only());
        auto box = l->ballots();
        REQUIRE(box.ok());
        CHECK(box->size() == day.casts);
        auto a = l->append(event_type::restart, {});
        REQUIRE_FALSE(a.ok());
        CHECK(a.err().code == "ledger.read_only");
        CHECK(verify(day.file).outcome == verify_outcome::incomplete);
    }
    CHECK(file_digest(day.file) == before);
    CHECK_FALSE(fs::exists(fs::path(day.file.string() + "-wal")));
    CHECK_FALSE(fs::exists(fs::path(day.file.string() + "-shm")));
}

TEST_CASE("reopening for writing restores the head and continues the chain") {
    temp_dir dir("ledger-open");
    day_options o;
    o.close = false;
    auto day = run_scripted_day(dir / "d.ledger", o);
    auto key = test_key(0x11);
    manual_clock clock(poll_opening() + std::chrono::hours(12));
    crypto::seeded_random random(9);
    ledger_options lo;
    lo.clock = &clock;
    lo.random = &random;
    lo.trusted_key = key.public_key();
    auto l = ledger::ledger::open(day.file, lo);
    REQUIRE_MESSAGE(l.ok(), (l.ok() ? "" : l.err().message));
    CHECK(l->size() == day.entries);
    CHECK(l->genesis().origin == test_origin);
    CHECK(l->append(event_type::restart, {{"reason", "power"}}).value() == day.entries);
    CHECK(l->append_cast(some_ballot("late-token")).ok());
    CHECK(l->append_closing().ok());
    CHECK(l->append_checkpoint(checkpoint_kind::final, key).ok());
    CHECK(l->finalized());
    // The in-memory root equals the root recomputed from the file.
    auto r = verify(day.file);
    INFO(r.summary());
    CHECK(r.complete());
    CHECK(r.root == l->root());
    CHECK(r.box_root == l->box_root().value());
}

TEST_CASE("append rules: duplicate token, closing, final, kinds, keys, bodies") {
    temp_dir dir("ledger-rules");
    auto key = test_key(0x11);
    crypto::seeded_random random(1);
    ledger_options lo;
    lo.random = &random;
    auto l = ledger::ledger::create(dir / "r.ledger", lo, test_genesis(key)).value();
    CHECK(ledger::ledger::create(dir / "r.ledger", lo, test_genesis(key)).err().code ==
          "ledger.already_exists");
    REQUIRE(l.append(event_type::opening, {}).ok());
    CHECK(l.append(event_type::issue, {}).err().code == "ledger.checkpoint_required");
    CHECK(l.append_cast(some_ballot("t0")).err().code == "ledger.checkpoint_required");
    {
        // A restart may come between an opening entry and its checkpoint (a crash between the
        // two commits); the file still verifies.
        auto other = ledger::ledger::create(dir / "restart.ledger", lo, test_genesis(key)).value();
        REQUIRE(other.append(event_type::opening, {}).ok());
        REQUIRE(other.append(event_type::restart, {{"reason", "power"}}).ok());
        REQUIRE(other.append(event_type::issue, {}).ok());
        CHECK(verify(dir / "restart.ledger").outcome == verify_outcome::incomplete);
    }
    CHECK(l.append_checkpoint(checkpoint_kind::turnout, key).err().code ==
          "ledger.checkpoint_kind_mismatch");
    CHECK(l.append_checkpoint(checkpoint_kind::opening, test_key(0x22)).err().code ==
          "ledger.wrong_signing_key");
    REQUIRE(l.append_checkpoint(checkpoint_kind::opening, key).ok());
    CHECK(l.append_checkpoint(checkpoint_kind::opening, key).err().code ==
          "ledger.checkpoint_exists");

    REQUIRE(l.append_cast(some_ballot("t1")).ok());
    auto size = l.size();
    auto dup = l.append_cast(some_ballot("t1"));
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.err().code == "ledger.token_already_recorded");
    CHECK(l.size() == size);
    CHECK(l.ballots()->size() == 1);
    CHECK_FALSE(l.must_reopen());

    CHECK(l.append(event_type::cast, {}).err().code == "ledger.use_dedicated_append");
    CHECK(l.append(event_type::rejected_card, {{"why", "x"}}).err().code ==
          "ledger.bad_rejection_body");
    CHECK(l.append(event_type::issue, {{"ratio", 0.5}}).err().code == "ledger.body_not_canonical");
    CHECK(l.append_cast(ballot{{}, bytes(64, 1), to_bytes("t2"), ballot_source::stationary})
              .err()
              .code == "ledger.ballot_invalid");
    CHECK(l.size() == size);

    REQUIRE(l.append_closing({{"note", "end"}}).ok());
    CHECK(l.append(event_type::restart, {}).err().code == "ledger.closed");
    CHECK(l.append_cast(some_ballot("t3")).err().code == "ledger.closed");
    CHECK(l.append_checkpoint(checkpoint_kind::other, key).err().code ==
          "ledger.checkpoint_kind_mismatch");
    REQUIRE(l.append_checkpoint(checkpoint_kind::final, key).ok());
    CHECK(l.append_checkpoint(checkpoint_kind::final, key).err().code == "ledger.closed");
    CHECK(verify(dir / "r.ledger").complete());
}

TEST_CASE("a file that is not a ledger is recognised as such and left alone") {
    temp_dir dir("ledger-foreign");
    auto p = dir / "other.sqlite";
    {
        auto db =
            sqlite::database::open(p.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "");
        REQUIRE(db->exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);").ok());
    }
    auto before = file_digest(p);
    auto l = ledger::ledger::open(p);
    REQUIRE_FALSE(l.ok());
    CHECK(l.err().code == "ledger.not_a_ledger");
    CHECK(file_digest(p) == before);
    CHECK(verify(p).problem->code == "ledger.not_a_ledger");
    CHECK(ledger::ledger::open(dir / "missing").err().code == "ledger.cannot_open");
    auto text = dir / "text.ledger";
    std::ofstream(text) << "this is not SQLite at all, just text that is long enough to be read";
    auto r = verify(text);
    CHECK(r.outcome == verify_outcome::failed);
    CHECK(r.problem->code == "ledger.corrupt_file");
}

TEST_CASE("genesis pins the package hash, the key and the origin, and bad origins are refused") {
    temp_dir dir("ledger-genesis");
    auto key = test_key(0x11);
    auto g = test_genesis(key);
    g.origin = "has space";
    CHECK(ledger::ledger::create(dir / "a", {}, g).err().code == "ledger.bad_origin");
    CHECK_FALSE(fs::exists(dir / "a"));
    g.origin = "a+b";
    CHECK(ledger::ledger::create(dir / "a", {}, g).err().code == "ledger.bad_origin");
    g = test_genesis(key);
    g.extra["origin"] = "shadow";
    CHECK(ledger::ledger::create(dir / "a", {}, g).err().code == "ledger.reserved_body_key");
    g = test_genesis(key);
    auto l = ledger::ledger::create(dir / "b", {}, g).value();
    auto e = l.read_entry(0).value();
    auto parsed = parse_genesis_body(e.body).value();
    CHECK(parsed.appliance_key == key.public_key().raw());
    CHECK(parsed.election_package_sha256 == g.election_package_sha256);
    CHECK(parsed.origin == test_origin);
    CHECK(e.prev_hash == crypto::digest{});
    // A verifier that trusts another appliance key refuses this genesis.
    verify_options vo;
    vo.trusted_key = test_key(0x22).public_key();
    auto r = verify(dir / "b", vo);
    CHECK(r.problem->code == "ledger.genesis_key_mismatch");
    CHECK(r.seq == 0u);
}

TEST_CASE("an append that cannot get the write lock fails cleanly and the ledger stays usable") {
    temp_dir dir("ledger-busy");
    auto key = test_key(0x11);
    crypto::seeded_random random(3);
    ledger_options lo;
    lo.random = &random;
    auto l = ledger::ledger::create(dir / "b.ledger", lo, test_genesis(key)).value();
    REQUIRE(l.append(event_type::opening, {}).ok());
    REQUIRE(l.append_checkpoint(checkpoint_kind::opening, key).ok());
    auto size = l.size();
    auto root = l.root();
    {
        // Another writer holds the write lock: the append must fail as a value and write
        // nothing (the daemon is the only writer in practice; this stands in for any failure
        // before COMMIT).
        auto other = open_raw(dir / "b.ledger");
        REQUIRE(other.exec("BEGIN IMMEDIATE").ok());
        auto cast = l.append_cast(
            ballot{to_bytes("r"), bytes(64, 1), to_bytes("tok"), ballot_source::stationary});
        REQUIRE_FALSE(cast.ok());
        CHECK(cast.err().code == "ledger.busy");
        CHECK(l.size() == size);
        CHECK(l.root() == root);
        CHECK_FALSE(l.must_reopen());
        REQUIRE(other.exec("ROLLBACK").ok());
    }
    // Nothing half-written: the retry succeeds with the same token, and the file verifies.
    REQUIRE(l.append_cast(
                 ballot{to_bytes("r"), bytes(64, 1), to_bytes("tok"), ballot_source::stationary})
                .ok());
    CHECK(l.size() == size + 1);
    CHECK(l.ballots()->size() == 1);
    auto r = verify(dir / "b.ledger");
    INFO(r.summary());
    CHECK(r.outcome == verify_outcome::incomplete);
    CHECK(r.root == l.root());
}

TEST_CASE("for_each_entry reads every entry in order, as read_entry does, and stops on error") {
    temp_dir dir("ledger-each-entry");
    auto day = run_scripted_day(dir / "d.ledger");
    auto l = ledger::ledger::open_read_only(day.file);
    REQUIRE(l.ok());
    std::uint64_t next = 0;
    auto all = l->for_each_entry([&](const entry& e) -> status {
        auto one = l->read_entry(next);
        REQUIRE(one.ok());
        CHECK(e.seq == next);
        CHECK(e.type == one->type);
        CHECK(e.body == one->body);
        CHECK(e.prev_hash == one->prev_hash);
        CHECK(e.entry_hash == one->entry_hash);
        ++next;
        return ok_status();
    });
    CHECK(all.ok());
    CHECK(next == day.entries);

    next = 0;
    auto stopped = l->for_each_entry([&](const entry& e) -> status {
        ++next;
        if (e.seq == 5)
            return make_error("test.stop", "stop at 5");
        return ok_status();
    });
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.err().code == "test.stop");
    CHECK(next == 6);
}

TEST_CASE("for_each_entry names an entry gone from the file since it was opened") {
    temp_dir dir("ledger-each-entry-gone");
    day_options o;
    o.close = false;
    auto day = run_scripted_day(dir / "d.ledger", o);
    auto l = ledger::ledger::open(day.file);
    REQUIRE(l.ok());
    exec_raw(day.file, "DELETE FROM entries WHERE seq = 3");
    auto r = l->for_each_entry([](const entry&) { return ok_status(); });
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "ledger.corrupt_file");
    CHECK(r.err().message.find("entry 3") != std::string::npos);
}
