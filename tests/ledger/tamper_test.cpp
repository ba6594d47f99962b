// Tampering with a closed ledger file, one way at a time; verify() must fail and name the
// place. Each case works on its own copy of one scripted day, and is verified both in one
// pass and in ranges on several threads, which must agree (verify_both.h).
#include <doctest/doctest.h>

#include <map>

#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/verify.h"
#include "tests/ledger/scripted_day.h"
#include "tests/ledger/verify_both.h"
#include "tests/support/temp_dir.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace ballotbox::test_support;
namespace fs = std::filesystem;

namespace {

struct fixture {
    temp_dir dir{"ledger-tamper"};
    day_result day = run_scripted_day(dir / "day.ledger");
    int copies = 0;

    fs::path copy() {
        auto p = dir / ("copy" + std::to_string(copies++) + ".ledger");
        fs::copy_file(day.file, p);
        return p;
    }
};

std::string where(const verify_report& r) {
    return r.summary();
}

void expect_entry_failure(const verify_report& r, std::uint64_t seq) {
    INFO(where(r));
    CHECK(r.outcome == verify_outcome::failed);
    CHECK(r.table == "entries");
    REQUIRE(r.seq.has_value());
    CHECK(*r.seq == seq);
}

bytes flipped(bytes b, std::size_t byte_index) {
    b.at(byte_index % b.size()) ^= 0x01;
    return b;
}

std::map<std::int64_t, std::uint64_t> one_entry_per_type(const fs::path& file, std::uint64_t n) {
    std::map<std::int64_t, std::uint64_t> seen;
    for (std::uint64_t s = 0; s < n; ++s) {
        auto t = query_int(file, "SELECT type FROM entries WHERE seq = " + std::to_string(s));
        seen.emplace(t, s);
    }
    return seen;
}

}  // namespace

TEST_CASE("the scripted day verifies complete, and incomplete before the close") {
    fixture f;
    auto r = verify_both(f.day.file);
    INFO(r.summary());
    CHECK(r.outcome == verify_outcome::complete);
    CHECK(r.entries == f.day.entries);
    CHECK(r.casts == f.day.casts);
    CHECK(r.ballots == f.day.casts);
    CHECK(r.checkpoints == f.day.checkpoint_notes.size());
    verify_options vo;
    vo.trusted_checkpoint = f.day.checkpoint_notes.back();
    vo.trusted_key = test_key(0x11).public_key();
    CHECK(verify_both(f.day.file, vo).outcome == verify_outcome::complete);

    day_options open_day;
    open_day.close = false;
    auto d2 = run_scripted_day(f.dir / "open.ledger", open_day);
    auto r2 = verify_both(d2.file);
    INFO(r2.summary());
    CHECK(r2.outcome == verify_outcome::incomplete);
    CHECK_FALSE(r2.complete());
}

TEST_CASE("one bit flipped in every column of every kind of entry is caught at that entry") {
    fixture f;
    auto types = one_entry_per_type(f.day.file, f.day.entries);
    CHECK(types.size() == 8);  // genesis, opening, issue, cast, cancel, rejected, turnout, closing
    for (auto [type, seq] : types) {
        auto s = std::to_string(seq);
        CAPTURE(type);
        CAPTURE(seq);
        for (const char* col : {"body", "prev_hash", "entry_hash"}) {
            CAPTURE(col);
            auto p = f.copy();
            auto v = query_blob(p, std::string("SELECT ") + col + " FROM entries WHERE seq = " + s);
            exec_raw_blob(p, std::string("UPDATE entries SET ") + col + " = ?1 WHERE seq = " + s,
                          flipped(v, seq * 7 + 3));
            expect_entry_failure(verify_both(p), seq);
        }
        auto p = f.copy();
        exec_raw(p, "UPDATE entries SET type = (type | 1) - (type & 1) WHERE seq = " + s);
        expect_entry_failure(verify_both(p), seq);
        p = f.copy();
        exec_raw(p, "UPDATE entries SET seq = seq + 1048576 WHERE seq = " + s);
        expect_entry_failure(verify_both(p), seq);
    }
}

TEST_CASE("one bit flipped in any column of a ballot, checkpoint or meta row is caught there") {
    fixture f;
    for (const char* col : {"box_key", "record", "booth_signature", "token"}) {
        CAPTURE(col);
        auto p = f.copy();
        auto key = query_blob(p, "SELECT box_key FROM ballots ORDER BY box_key LIMIT 1 OFFSET 2");
        auto v = query_blob(p, std::string("SELECT ") + col + " FROM ballots WHERE box_key = x'" +
                                   to_hex(key) + "'");
        exec_raw_blob(p,
                      std::string("UPDATE ballots SET ") + col + " = ?1 WHERE box_key = x'" +
                          to_hex(key) + "'",
                      flipped(v, 5));
        auto r = verify_both(p);
        INFO(r.summary());
        CHECK(r.outcome == verify_outcome::failed);
        CHECK(r.table == "ballots");
    }
    {
        auto p = f.copy();
        exec_raw(p,
                 "UPDATE ballots SET source = 1 - source WHERE box_key = "
                 "(SELECT box_key FROM ballots ORDER BY box_key LIMIT 1)");
        auto r = verify_both(p);
        INFO(r.summary());
        CHECK(r.outcome == verify_outcome::failed);
        CHECK(r.table == "ballots");
    }
    auto sizes = std::vector<std::int64_t>{};
    for (const auto& note : f.day.checkpoint_notes)
        sizes.push_back(
            static_cast<std::int64_t>(parse_checkpoint(parse_signed_note(note)->text)->tree_size));
    for (auto size : sizes) {
        auto s = std::to_string(size);
        CAPTURE(size);
        auto p = f.copy();
        exec_raw(p, "UPDATE checkpoints SET kind = (kind | 1) - (kind & 1) WHERE tree_size = " + s);
        auto r = verify_both(p);
        INFO(r.summary());
        CHECK(r.table == "checkpoints");
        CHECK(r.checkpoint_size == static_cast<std::uint64_t>(size));
        for (std::size_t at : {0ul, 60ul, 70ul, 100ul, 140ul}) {
            CAPTURE(at);
            p = f.copy();
            auto note = query_text(p, "SELECT note FROM checkpoints WHERE tree_size = " + s);
            note.at(at % note.size()) ^= 0x01;
            exec_raw(p, "UPDATE checkpoints SET note = '" + note + "' WHERE tree_size = " + s);
            r = verify_both(p);
            INFO(r.summary());
            CHECK(r.outcome == verify_outcome::failed);
            CHECK(r.table == "checkpoints");
            CHECK(r.checkpoint_size == static_cast<std::uint64_t>(size));
        }
        p = f.copy();
        exec_raw(p,
                 "UPDATE checkpoints SET tree_size = tree_size + 1048576 WHERE tree_size = " + s);
        r = verify_both(p);
        INFO(r.summary());
        CHECK(r.outcome == verify_outcome::failed);
        CHECK(r.table == "checkpoints");
    }
    for (const char* sql : {"UPDATE meta SET value = 'ballotbox-ledgeR' WHERE key = 'format'",
                            "UPDATE meta SET value = '0' WHERE key = 'format_version'",
                            "UPDATE meta SET key = 'formaT' WHERE key = 'format'"}) {
        auto p = f.copy();
        exec_raw(p, sql);
        auto r = verify_both(p);
        INFO(r.summary());
        CHECK(r.table == "meta");
    }
}

TEST_CASE("rows deleted, duplicated, inserted, reordered or renumbered are caught at the entry") {
    fixture f;
    const std::uint64_t k = 9;
    auto n = f.day.entries;
    auto p = f.copy();
    exec_raw(p, "DELETE FROM entries WHERE seq = 9");
    expect_entry_failure(verify_both(p), k);

    p = f.copy();  // duplicate entry 9 at the end
    exec_raw(p, "INSERT INTO entries SELECT " + std::to_string(n) +
                    ", type, body, prev_hash, entry_hash FROM entries WHERE seq = 9");
    expect_entry_failure(verify_both(p), n);

    p = f.copy();  // insert a well-formed entry at 9, shifting the rest
    exec_raw(p,
             "UPDATE entries SET seq = -seq - 1 WHERE seq >= 9;"
             "UPDATE entries SET seq = -seq WHERE seq < 0;");
    auto prev = query_blob(p, "SELECT entry_hash FROM entries WHERE seq = 8");
    std::string body = R"({"style":0})";
    auto hash = compute_entry_hash(9, 3, body, prev);
    auto db = open_raw(p);
    auto st = sqlite::statement::prepare(db, "INSERT INTO entries VALUES (9, 3, ?1, ?2, ?3)");
    st->bind(1, as_bytes(body)).bind(2, prev).bind(3, hash);
    REQUIRE(st->run().ok());
    db = sqlite::database();
    expect_entry_failure(verify_both(p), 10);  // 9 is now fine; 10 no longer links

    p = f.copy();  // swap the contents of entries 9 and 12
    exec_raw(p,
             "CREATE TEMP TABLE t AS SELECT * FROM entries WHERE seq IN (9, 12);"
             "UPDATE entries SET (type, body, prev_hash, entry_hash) = (SELECT type, body, "
             "prev_hash, entry_hash FROM t WHERE t.seq = 21 - entries.seq) "
             "WHERE seq IN (9, 12);");
    expect_entry_failure(verify_both(p), 9);

    p = f.copy();
    exec_raw(p, "UPDATE entries SET seq = 100000 WHERE seq = 9");
    expect_entry_failure(verify_both(p), 9);
}

TEST_CASE("a truncated tail: incomplete alone, failed against the printed final checkpoint") {
    fixture f;
    // The attacker keeps only what the second turnout checkpoint covers.
    auto second = parse_checkpoint(parse_signed_note(f.day.checkpoint_notes.at(2))->text);
    auto keep = std::to_string(second->tree_size);
    auto p = f.copy();
    exec_raw(p, "DELETE FROM entries WHERE seq >= " + keep +
                    "; DELETE FROM checkpoints WHERE tree_size > " + keep +
                    "; DELETE FROM ballots WHERE box_key NOT IN (SELECT box_key FROM ballots "
                    "ORDER BY box_key LIMIT (SELECT count(*) FROM entries WHERE type = 4))");
    auto alone = verify_both(p);
    INFO(alone.summary());
    CHECK(alone.outcome == verify_outcome::incomplete);

    verify_options vo;
    vo.trusted_checkpoint = f.day.checkpoint_notes.back();
    auto r = verify_both(p, vo);
    INFO(r.summary());
    CHECK(r.outcome == verify_outcome::failed);
    CHECK(r.table == "trusted_checkpoint");
    CHECK(r.problem->code == "ledger.truncated");

    // An older checkpoint handed over as if it were the final one does not make it complete.
    vo.trusted_checkpoint = f.day.checkpoint_notes.at(2);
    auto older = verify_both(p, vo);
    INFO(older.summary());
    CHECK(older.outcome == verify_outcome::incomplete);
    // Nor does relabelling a turnout checkpoint as final.
    exec_raw(p, "UPDATE checkpoints SET kind = 2 WHERE tree_size = " + keep);
    auto relabelled = verify_both(p);
    INFO(relabelled.summary());
    CHECK(relabelled.problem->code == "ledger.checkpoint_kind_mismatch");
    CHECK(relabelled.checkpoint_size == second->tree_size);
}

TEST_CASE("a deleted turnout checkpoint is caught at its turnout entry") {
    fixture f;
    auto turnout = *parse_checkpoint(parse_signed_note(f.day.checkpoint_notes.at(1))->text);
    auto p = f.copy();
    exec_raw(p, "DELETE FROM checkpoints WHERE tree_size = " + std::to_string(turnout.tree_size));
    auto r = verify_both(p);
    expect_entry_failure(r, turnout.tree_size - 1);
    CHECK(r.problem->code == "ledger.checkpoint_missing");
    // The final checkpoint deleted: the ledger is no longer complete.
    p = f.copy();
    exec_raw(p, "DELETE FROM checkpoints WHERE kind = 2");
    CHECK(verify_both(p).outcome == verify_outcome::incomplete);
}

TEST_CASE("entries appended after the closing, even correctly chained, are caught") {
    fixture f;
    auto p = f.copy();
    auto n = f.day.entries;
    auto prev =
        query_blob(p, "SELECT entry_hash FROM entries WHERE seq = " + std::to_string(n - 1));
    std::string body = R"({"note":"late"})";
    auto hash = compute_entry_hash(n, 9, body, prev);
    auto db = open_raw(p);
    auto st = sqlite::statement::prepare(db, "INSERT INTO entries VALUES (?1, 9, ?2, ?3, ?4)");
    st->bind(1, static_cast<std::int64_t>(n)).bind(2, as_bytes(body)).bind(3, prev).bind(4, hash);
    REQUIRE(st->run().ok());
    db = sqlite::database();
    auto r = verify_both(p);
    expect_entry_failure(r, n);
    CHECK(r.problem->code == "ledger.entry_after_closing");
}

TEST_CASE("ballot box tampering: content changed, ballots swapped, a ballot removed") {
    fixture f;
    auto p = f.copy();
    exec_raw(p,
             "UPDATE ballots SET record = CAST('forged choice' AS BLOB) WHERE box_key = "
             "(SELECT box_key FROM ballots ORDER BY box_key LIMIT 1)");
    auto r = verify_both(p);
    INFO(r.summary());
    CHECK(r.problem->code == "ledger.box_root_mismatch");
    CHECK(r.table == "ballots");

    p = f.copy();
    exec_raw(p,
             "CREATE TEMP TABLE k AS SELECT box_key FROM ballots ORDER BY box_key LIMIT 2;"
             "UPDATE ballots SET box_key = x'00' WHERE box_key = (SELECT min(box_key) FROM k);"
             "UPDATE ballots SET box_key = (SELECT min(box_key) FROM k) "
             "WHERE box_key = (SELECT max(box_key) FROM k);"
             "UPDATE ballots SET box_key = (SELECT max(box_key) FROM k) WHERE box_key = x'00';");
    r = verify_both(p);
    INFO(r.summary());
    CHECK(r.problem->code == "ledger.box_root_mismatch");

    p = f.copy();  // a ballot duplicated under a new key (tokens are unique, so a new one)
    exec_raw(p,
             "INSERT INTO ballots SELECT x'00000000000000000000000000000001', record, "
             "booth_signature, CAST('stuffed' AS BLOB), source FROM ballots "
             "WHERE box_key = (SELECT max(box_key) FROM ballots)");
    r = verify_both(p);
    INFO(r.summary());
    CHECK(r.problem->code == "ledger.box_count_mismatch");
    CHECK(r.table == "ballots");

    p = f.copy();
    exec_raw(p, "DELETE FROM ballots WHERE box_key = (SELECT max(box_key) FROM ballots)");
    r = verify_both(p);
    INFO(r.summary());
    CHECK(r.problem->code == "ledger.box_count_mismatch");
    CHECK(r.table == "ballots");
}

TEST_CASE("checkpoints: another key, another station, a re-chained ledger") {
    fixture f;
    auto first = *parse_checkpoint(parse_signed_note(f.day.checkpoint_notes.at(1))->text);
    auto size = std::to_string(first.tree_size);

    auto p = f.copy();  // same text, signed by a key that is not the appliance's
    auto forged = sign_checkpoint(first, test_origin, test_key(0x22));
    exec_raw(p, "UPDATE checkpoints SET note = '" + forged + "' WHERE tree_size = " + size);
    auto r = verify_both(p);
    INFO(r.summary());
    CHECK(r.problem->code == "ledger.checkpoint_signature_invalid");
    CHECK(r.checkpoint_size == first.tree_size);
    // Left to the caller (the audit verifies every note itself): the forged signature passes,
    // and the report says no checkpoint signature was verified.
    verify_options unsigned_only;
    unsigned_only.leave_checkpoint_signatures_to_caller = true;
    r = verify_both(p, unsigned_only);
    INFO(r.summary());
    CHECK(r.complete());
    CHECK_FALSE(r.checkpoint_signatures_verified);
    CHECK(verify_both(f.copy()).checkpoint_signatures_verified);

    // Another station's genuine checkpoint (same appliance key even) at the same size.
    day_options other;
    other.origin = "ballotbox.example/test-election/station/010002/device/01";
    auto d2 = run_scripted_day(f.dir / "other.ledger", other);
    p = f.copy();
    auto note = d2.checkpoint_notes.at(1);
    auto other_size = parse_checkpoint(parse_signed_note(note)->text)->tree_size;
    REQUIRE(other_size == first.tree_size);
    exec_raw(p, "UPDATE checkpoints SET note = '" + note + "' WHERE tree_size = " + size);
    r = verify_both(p);
    INFO(r.summary());
    CHECK(r.problem->code == "ledger.checkpoint_origin_mismatch");
    CHECK(r.checkpoint_size == first.tree_size);

    // Re-chained: the attacker edits an issue entry and recomputes every hash after it.
    p = f.copy();
    auto victim = static_cast<std::uint64_t>(
        query_int(p, "SELECT min(seq) FROM entries WHERE type = 3 AND seq > 3"));
    REQUIRE(victim < first.tree_size);
    {
        auto db = open_raw(p);
        REQUIRE(db.exec("UPDATE entries SET body = CAST('{\"style\":9}' AS BLOB) WHERE seq = " +
                        std::to_string(victim))
                    .ok());
        auto rows = sqlite::statement::prepare(
            db, "SELECT seq, type, body FROM entries WHERE seq >= " + std::to_string(victim) +
                    " ORDER BY seq");
        std::vector<std::tuple<std::int64_t, std::int64_t, std::string>> all;
        while (*rows->step())
            all.emplace_back(rows->column_int(0), rows->column_int(1), rows->column_text(2));
        auto prev = query_blob(
            p, "SELECT entry_hash FROM entries WHERE seq = " + std::to_string(victim - 1));
        for (auto& [seq, type, body] : all) {
            auto h = compute_entry_hash(seq, static_cast<std::uint32_t>(type), body, prev);
            auto up = sqlite::statement::prepare(
                db, "UPDATE entries SET prev_hash = ?1, entry_hash = ?2 WHERE seq = ?3");
            up->bind(1, prev).bind(2, h).bind(3, seq);
            REQUIRE(up->run().ok());
            prev = bytes(h.begin(), h.end());
        }
    }
    r = verify_both(p);
    INFO(r.summary());
    CHECK(r.problem->code == "ledger.checkpoint_root_mismatch");
    CHECK(r.checkpoint_size == first.tree_size);  // the first checkpoint covering entry 5
    // Signatures left to the caller: the roots are still checked.
    r = verify_both(p, unsigned_only);
    CHECK(r.problem->code == "ledger.checkpoint_root_mismatch");
}

TEST_CASE("an extra table, trigger or index is tampering") {
    fixture f;
    for (const char* sql :
         {"CREATE TABLE notes(x)",
          "CREATE TRIGGER hide AFTER INSERT ON ballots BEGIN DELETE FROM ballots; END",
          "CREATE INDEX cast_order ON ballots(token)", "CREATE VIEW v AS SELECT 1"}) {
        CAPTURE(sql);
        auto p = f.copy();
        exec_raw(p, sql);
        auto r = verify_both(p);
        INFO(r.summary());
        CHECK(r.problem->code == "ledger.schema_mismatch");
        CHECK(r.table == "schema");
    }
}
