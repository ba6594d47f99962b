// Tampering and faults on a real ledger made by a scripted poll day: each case exits 1 (or
// 2 for unusable input) and names the check and the place where it first fails.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "ledger/canonical_json.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger.h"
#include "protocol/protocol_document.h"
#include "tests/audit/audit_fixture.h"

using namespace ballotbox;
using namespace ballotbox::audit;
using namespace ballotbox::audit::testing;

namespace {

audit_day& day() {
    static audit_day d;
    return d;
}

void expect_failure(const audit_report& r, const std::string& check, const std::string& place = {},
                    int exit = 1) {
    INFO(to_text(r));
    CHECK(r.exit_code() == exit);
    REQUIRE(r.first_failure.has_value());
    CHECK(r.first_failure->check == check);
    if (!place.empty())
        CHECK(r.first_failure->place.find(place) != std::string::npos);
}

audit_report audit_copy(const std::string& name, const std::string& sql) {
    auto copy = copy_ledger(day().ledger_path(), name);
    if (!sql.empty())
        run_sql(copy, sql);
    return run_both(day().inputs(copy));
}

std::uint64_t first_of(int type) {
    return seqs_of(day().ledger_path(), type).at(0);
}

// Rewrites one ballot row's record (and signature column) and reseals with the appliance key.
audit_report with_ballot(const std::string& name, const cardio::voted_card& card) {
    auto copy = copy_ledger(day().ledger_path(), name);
    auto record = cardio::encode_card_record(card).value();
    run_sql(copy, "UPDATE ballots SET record = x'" + to_hex(record) + "', booth_signature = x'" +
                      to_hex(card.signature) + "', token = x'" + to_hex(card.issued.issue.token) +
                      "' WHERE box_key = (SELECT min(box_key) FROM ballots)");
    reseal(copy, day().appliance_key());
    return run_both(day().inputs(copy));
}

// One vote moved to the second option from another line, so the document still reconciles
// and only the ledger can tell.
void move_one_vote(protocol::protocol_document& doc) {
    auto& b = doc.ballots[0];
    b.options[1].votes += 1;
    if (b.blank > 0)
        b.blank -= 1;
    else if (b.against_all > 0)
        b.against_all -= 1;
    else
        for (std::size_t i = 0; i < b.options.size(); ++i)
            if (i != 1 && b.options[i].votes > 0) {
                b.options[i].votes -= 1;
                break;
            }
}

cardio::voted_card first_ballot() {
    auto copy = copy_ledger(day().ledger_path(), "peek.sqlite");
    auto book = ledger::ledger::open_read_only(copy).value();
    auto box = book.ballots().value();
    return std::get<cardio::voted_card>(
        cardio::parse_card_record(box.front().content.record).value());
}

}  // namespace

TEST_CASE("a bit flipped in an entry body is caught at that entry") {
    auto seq = first_of(3);
    expect_failure(audit_copy("t.sqlite",
                              "UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'style', "
                              "'stylf') AS BLOB) WHERE seq = " +
                                  std::to_string(seq)),
                   "chain", "entry " + std::to_string(seq));
}

TEST_CASE("a bit flipped in an entry hash is caught at that entry") {
    expect_failure(
        audit_copy("t.sqlite", "UPDATE entries SET entry_hash = zeroblob(32) WHERE seq = 5"),
        "chain", "entry 5");
}

TEST_CASE("a bit flipped in a ballot's record is caught at the box root") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto book = ledger::ledger::open_read_only(copy).value();
    auto b = book.ballots().value().at(1);
    b.content.record[b.content.record.size() / 2] ^= 0x04;
    run_sql(copy, "UPDATE ballots SET record = x'" + to_hex(b.content.record) +
                      "' WHERE box_key = x'" + to_hex(b.key) + "'");
    expect_failure(run_both(day().inputs(copy)), "box_root");
}

TEST_CASE("a bit flipped in a checkpoint note is caught at that checkpoint") {
    expect_failure(audit_copy("t.sqlite",
                              "UPDATE checkpoints SET note = replace(note, '\n\n', '\n \n') WHERE "
                              "tree_size = (SELECT max(tree_size) FROM checkpoints)"),
                   "checkpoints", "checkpoint at tree size");
}

TEST_CASE("a deleted entry row is caught where the sequence breaks") {
    expect_failure(audit_copy("t.sqlite", "DELETE FROM entries WHERE seq = 7"), "chain", "entry");
}

TEST_CASE("a duplicated entry row (a copy of a cast appended) is caught") {
    auto seq = first_of(4);
    expect_failure(audit_copy("t.sqlite",
                              "INSERT INTO entries SELECT (SELECT max(seq) + 1 FROM entries), "
                              "type, body, prev_hash, entry_hash FROM entries WHERE seq = " +
                                  std::to_string(seq)),
                   "chain", "entry");
}

TEST_CASE("an inserted entry row is caught at its place") {
    expect_failure(audit_copy("t.sqlite",
                              "UPDATE entries SET seq = seq + 1000000 WHERE seq >= 10; UPDATE "
                              "entries SET seq = seq - 999999 WHERE seq >= 1000000; "
                              "INSERT INTO entries SELECT 10, type, body, prev_hash, entry_hash "
                              "FROM entries WHERE seq = 9"),
                   "chain", "entry");
}

TEST_CASE("two reordered entries are caught at the first of them") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto casts = seqs_of(copy, 4);
    auto issues = seqs_of(copy, 3);
    auto a = std::min(casts[2], issues[3]), b = std::max(casts[2], issues[3]);
    run_sql(copy, "UPDATE entries SET seq = -1 WHERE seq = " + std::to_string(a) +
                      "; UPDATE entries SET seq = " + std::to_string(a) +
                      " WHERE seq = " + std::to_string(b) +
                      "; UPDATE entries SET seq = " + std::to_string(b) + " WHERE seq = -1");
    expect_failure(run_both(day().inputs(copy)), "chain", "entry " + std::to_string(a));
}

TEST_CASE("a renumbered entry is caught") {
    expect_failure(
        audit_copy("t.sqlite",
                   "UPDATE entries SET seq = 100000 WHERE seq = (SELECT max(seq) FROM entries)"),
        "chain");
}

TEST_CASE("a tail truncated after the last cast is caught against the printed checkpoint") {
    auto exported = day().export_protocol("export-trunc");
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto last_cast = seqs_of(copy, 4).back();
    run_sql(copy, "DELETE FROM entries WHERE seq > " + std::to_string(last_cast) +
                      "; DELETE FROM checkpoints WHERE tree_size > " +
                      std::to_string(last_cast + 1));
    auto in = day().inputs(copy);
    in.checkpoint = exported / "checkpoint.txt";
    expect_failure(run_both(in), "trusted_checkpoint");
    // Without the printed checkpoint it is incomplete, never verified.
    auto r = run_both(day().inputs(copy));
    CHECK(r.exit_code() == 1);
    CHECK(r.result == outcome::incomplete);
}

TEST_CASE("rows appended after the closing are caught at the first of them") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto issue = first_of(3);
    run_sql(copy,
            "INSERT INTO entries SELECT (SELECT max(seq) + 1 FROM entries), type, body, prev_hash, "
            "entry_hash FROM entries WHERE seq = " +
                std::to_string(issue));
    rechain(copy);
    auto last = seqs_of(copy, 3).back();
    expect_failure(run_both(day().inputs(copy)), "chain", "entry " + std::to_string(last));
}

TEST_CASE("a ballot's content changed is caught at the box root") {
    auto card = first_ballot();
    card.choices[0] = card.choices[0] == cardio::ballot_choice::left_blank()
                          ? cardio::ballot_choice::against_all()
                          : cardio::ballot_choice::left_blank();
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    run_sql(copy, "UPDATE ballots SET record = x'" +
                      to_hex(cardio::encode_card_record(card).value()) +
                      "' WHERE box_key = (SELECT min(box_key) FROM ballots)");
    expect_failure(run_both(day().inputs(copy)), "box_root");
}

TEST_CASE(
    "a ballot's content changed and resealed with the appliance key fails its booth signature") {
    auto card = first_ballot();
    card.choices[0] = card.choices[0] == cardio::ballot_choice::left_blank()
                          ? cardio::ballot_choice::against_all()
                          : cardio::ballot_choice::left_blank();
    expect_failure(with_ballot("t.sqlite", card), "booth_signatures", "box key");
}

TEST_CASE("two ballots swapped between keys are caught at the box root") {
    expect_failure(
        audit_copy(
            "t.sqlite",
            "CREATE TEMP TABLE k AS SELECT box_key FROM ballots ORDER BY box_key LIMIT 2;"
            "UPDATE ballots SET box_key = x'00' WHERE box_key = (SELECT min(box_key) FROM k);"
            "UPDATE ballots SET box_key = (SELECT min(box_key) FROM k) WHERE box_key = (SELECT "
            "max(box_key) FROM k);"
            "UPDATE ballots SET box_key = (SELECT max(box_key) FROM k) WHERE box_key = x'00';"),
        "box_root");
}

TEST_CASE("a checkpoint signed by another key is caught at that checkpoint") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    crypto::seeded_random rnd(5);
    auto other = crypto::ed25519_private_key::generate(rnd);
    auto book = ledger::ledger::open_read_only(copy).value();
    auto cps = book.checkpoints().value();
    auto cp =
        ledger::parse_checkpoint(ledger::parse_signed_note(cps.back().note).value().text).value();
    auto forged = ledger::sign_checkpoint(cp, cp.origin, other);
    run_sql(copy, "UPDATE checkpoints SET note = '" + forged +
                      "' WHERE tree_size = " + std::to_string(cp.tree_size));
    // Found by the audit's own signature pass (verify leaves every checkpoint signature to it).
    expect_failure(run_both(day().inputs(copy)), "checkpoint_signatures",
                   "checkpoint at tree size " + std::to_string(cp.tree_size));
}

TEST_CASE("an older checkpoint relabelled as final is caught") {
    expect_failure(audit_copy("t.sqlite",
                              "UPDATE checkpoints SET kind = 2 WHERE tree_size = (SELECT "
                              "min(tree_size) FROM checkpoints WHERE kind = 1)"),
                   "checkpoints", "checkpoint at tree size");
}

TEST_CASE("an older checkpoint presented as the printed final one does not hide a missing tail") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto book = ledger::ledger::open_read_only(copy).value();
    auto cps = book.checkpoints().value();
    auto older = copy.parent_path() / "older.txt";
    write_text(older, cps.front().note);
    auto last_turnout = cps[cps.size() - 2].tree_size;
    run_sql(copy, "DELETE FROM entries WHERE seq >= " + std::to_string(last_turnout) +
                      "; DELETE FROM checkpoints WHERE tree_size > " +
                      std::to_string(last_turnout));
    auto in = day().inputs(copy);
    in.checkpoint = older;
    auto r = run_both(in);
    CHECK(r.exit_code() == 1);
    CHECK(r.result != outcome::verified);
}

TEST_CASE("another station's checkpoint given as the printed one is caught") {
    audit_day other(
        day_options{.voters = 5, .cancels = 0, .outstanding = 0, .close = true, .seed = 99});
    auto in = day().inputs();
    in.checkpoint = other.export_protocol() / "checkpoint.txt";
    expect_failure(run_both(in), "trusted_checkpoint");
}

TEST_CASE("a checkpoint from another election (same key, same root) is caught") {
    auto book =
        ledger::ledger::open_read_only(copy_ledger(day().ledger_path(), "t.sqlite")).value();
    auto key = day().appliance_key();
    auto origin =
        ledger::checkpoint_origin("kz-2024-other", "astana-0001", key.public_key()).value();
    ledger::checkpoint cp{origin, book.size(), book.root(), {}};
    auto file = day().dir.path() / "foreign-cp.txt";
    write_text(file, ledger::sign_checkpoint(cp, origin, key));
    auto in = day().inputs();
    in.checkpoint = file;
    expect_failure(run_both(in), "trusted_checkpoint");
}

TEST_CASE("a ledger re-chained without the key is caught at the first checkpoint it breaks") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto seq = first_of(3);
    set_body(copy, seq, "{\"style\":\"party-list-only\"}");
    rechain(copy);
    expect_failure(run_both(day().inputs(copy)), "checkpoints", "checkpoint at tree size");
}

TEST_CASE("a forged booth signature is caught at its ballot") {
    auto card = first_ballot();
    card.signature[10] ^= 0x01;
    expect_failure(with_ballot("t.sqlite", card), "booth_signatures", "box key");
}

TEST_CASE("a ballot signed by a booth key not in the package is caught") {
    auto card = first_ballot();
    crypto::seeded_random rnd(11);
    auto stranger = crypto::ed25519_private_key::generate(rnd);
    auto forged = cardio::sign_as_booth(stranger, card.issued, card.choices).value();
    expect_failure(with_ballot("t.sqlite", forged), "booth_signatures", "box key");
}

TEST_CASE("a ballot from another station's ledger is caught") {
    audit_day other(
        day_options{.voters = 3, .cancels = 0, .outstanding = 0, .close = true, .seed = 77});
    auto book = ledger::ledger::open_read_only(other.ledger_path()).value();
    auto foreign = std::get<cardio::voted_card>(
        cardio::parse_card_record(book.ballots().value().front().content.record).value());
    expect_failure(with_ballot("t.sqlite", foreign), "ballot_records", "box key");
}

TEST_CASE("a token not issued here (valid booth signature, wrong MAC) is caught") {
    auto card = first_ballot();
    bytes wrong_key(32, 0x42);
    auto issued = cardio::make_issued_card(wrong_key, card.issued.issue).value();
    auto forged = cardio::sign_as_booth(day().booths[0], issued, card.choices).value();
    expect_failure(with_ballot("t.sqlite", forged), "issue_macs", "box key");
}

TEST_CASE("a duplicated token (cast and also cancelled) is caught") {
    auto card = first_ballot();
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto cancel = first_of(5);
    auto body = ledger::parse_canonical_json(body_of(copy, cancel)).value();
    body["token"] = to_hex(card.issued.issue.token);
    set_body(copy, cancel, ledger::to_canonical_json(body).value());
    reseal(copy, day().appliance_key());
    expect_failure(run_both(day().inputs(copy)), "tokens_used_once", "box key");
}

TEST_CASE("a cancel event without its token is caught at that entry, wherever the chain is cut") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto cancel = seqs_of(copy, 5).back();
    auto body = ledger::parse_canonical_json(body_of(copy, cancel)).value();
    body["token"] = "abcd";
    set_body(copy, cancel, ledger::to_canonical_json(body).value());
    reseal(copy, day().appliance_key());
    for (unsigned ranges = 2; ranges <= 5; ++ranges) {
        CAPTURE(ranges);
        expect_failure(run_both(day().inputs(copy), ranges), "events",
                       "entry " + std::to_string(cancel));
    }
}

TEST_CASE("a token cancelled twice is caught at the second cancel, wherever the chain is cut") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto cancels = seqs_of(copy, 5);
    REQUIRE(cancels.size() >= 2);
    auto first = ledger::parse_canonical_json(body_of(copy, cancels.front())).value();
    auto last = ledger::parse_canonical_json(body_of(copy, cancels.back())).value();
    last["token"] = first["token"];
    set_body(copy, cancels.back(), ledger::to_canonical_json(last).value());
    reseal(copy, day().appliance_key());
    for (unsigned ranges = 2; ranges <= 5; ++ranges) {
        CAPTURE(ranges);
        expect_failure(run_both(day().inputs(copy), ranges), "tokens_used_once",
                       "entry " + std::to_string(cancels.back()));
    }
}

TEST_CASE("a turnout report whose figures disagree with the chain is caught at its entry") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto seq = seqs_of(copy, 7).at(1);
    auto body = ledger::parse_canonical_json(body_of(copy, seq)).value();
    body["cast"] = body["cast"].as_int64() + 1;
    set_body(copy, seq, ledger::to_canonical_json(body).value());
    reseal(copy, day().appliance_key());
    expect_failure(run_both(day().inputs(copy)), "turnout", "entry " + std::to_string(seq));
}

TEST_CASE("counts that disagree with the chain are caught at the same entry wherever it is cut") {
    // Each report's counts are the whole chain's before it: walked in ranges, they are made
    // of every range before it and its own range up to it (audit/chain_walk.h).
    for (int type : {7, 10}) {  // a turnout report, the closing entry
        CAPTURE(type);
        auto copy = copy_ledger(day().ledger_path(), "counts.sqlite");
        auto seq = seqs_of(copy, type).back();
        auto body = ledger::parse_canonical_json(body_of(copy, seq)).value();
        body["issued"] = body["issued"].as_int64() - 1;
        set_body(copy, seq, ledger::to_canonical_json(body).value());
        reseal(copy, day().appliance_key());
        for (unsigned ranges = 2; ranges <= 9; ++ranges) {
            CAPTURE(ranges);
            expect_failure(run_both(day().inputs(copy), ranges), type == 7 ? "turnout" : "closing",
                           "entry " + std::to_string(seq));
        }
    }
}

TEST_CASE("a closing entry revealing a MAC key that does not match the commitment is caught") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto seq = first_of(10);
    auto body = ledger::parse_canonical_json(body_of(copy, seq)).value();
    body["mac_key"] = std::string(64, 'a');
    set_body(copy, seq, ledger::to_canonical_json(body).value());
    reseal(copy, day().appliance_key());
    expect_failure(run_both(day().inputs(copy)), "closing", "entry " + std::to_string(seq));
}

TEST_CASE("box keys that follow a counter are caught as cast order") {
    auto copy = copy_ledger(day().ledger_path(), "t.sqlite");
    auto book = ledger::ledger::open_read_only(copy).value();
    std::string sql;
    std::uint8_t n = 0;
    auto box = book.ballots();
    REQUIRE(box.ok());
    for (const auto& b : *box) {
        ledger::box_key counter{};
        counter.fill(0xee);
        counter[15] = n++;
        sql += "UPDATE ballots SET box_key = x'" + to_hex(counter) + "' WHERE box_key = x'" +
               to_hex(b.key) + "';";
    }
    run_sql(copy, sql);
    reseal(copy, day().appliance_key());
    expect_failure(run_both(day().inputs(copy)), "box_order", "ballot box");
}

TEST_CASE("an extra table added to the file is caught") {
    expect_failure(audit_copy("t.sqlite", "CREATE TABLE cast_order(n INTEGER)"), "ledger_file",
                   "schema");
}

TEST_CASE("an extra trigger added to the file is caught") {
    expect_failure(
        audit_copy("t.sqlite", "CREATE TRIGGER t AFTER INSERT ON ballots BEGIN SELECT 1; END"),
        "ledger_file", "schema");
}

TEST_CASE("a protocol whose figures differ by one vote is caught at that line") {
    std::string ballot, option;
    auto exported = day().export_protocol("export-vote", [&](protocol::protocol_document& doc) {
        move_one_vote(doc);
        ballot = doc.ballots[0].id;
        option = doc.ballots[0].options[1].id;
    });
    auto in = day().inputs();
    in.protocol_dir = exported;
    auto r = run_both(in);
    expect_failure(r, "protocol", "ballots[" + ballot + "]");
    CHECK(r.first_failure->message.find("differs from the figure recomputed") != std::string::npos);
}

TEST_CASE("QR codes: the genuine ones verify, ones whose figures differ by one vote are caught") {
    auto in = day().inputs();
    in.qr_text = day().qr_text();
    auto r = run_both(in);
    INFO(to_text(r));
    CHECK(r.result == outcome::verified);
    in.qr_text = day().qr_text([](protocol::protocol_document& doc) { move_one_vote(doc); });
    expect_failure(run_both(in), "protocol_qr", "QR ballots[");
    in.qr_text = "BBP1:1/1:garbage";
    expect_failure(run_both(in), "protocol_qr", "QR text");
}

TEST_CASE("a protocol signed by another key is caught") {
    auto exported = day().export_protocol("export-key");
    crypto::seeded_random rnd(3);
    auto other = crypto::ed25519_private_key::generate(rnd);
    auto sig = other.sign(as_bytes(read_text(exported / "protocol.json")));
    write_text(exported / "protocol.json.sig", std::string(as_chars(sig)));
    auto in = day().inputs();
    in.protocol_dir = exported;
    expect_failure(run_both(in), "protocol", "protocol.json.sig");
    // And with its own public key put next to it: the key is not the ledger's.
    write_text(exported / "appliance.pub.pem", other.public_key().to_pem());
    expect_failure(run_both(in), "protocol", "appliance.pub.pem");
}

TEST_CASE("a protocol pinning an older checkpoint is caught") {
    auto exported = day().export_protocol("export-cp");
    auto book =
        ledger::ledger::open_read_only(copy_ledger(day().ledger_path(), "t.sqlite")).value();
    write_text(exported / "checkpoint.txt", book.checkpoints().value().front().note);
    auto in = day().inputs();
    in.protocol_dir = exported;
    expect_failure(run_both(in), "protocol", "checkpoint.txt");
}

TEST_CASE("a package signed by another commission is tampering, unreadable inputs are unusable") {
    crypto::seeded_random rnd(8);
    auto other = crypto::ed25519_private_key::generate(rnd);
    auto key_file = day().dir.path() / "other-commission.pem";
    write_text(key_file, other.public_key().to_pem());
    auto in = day().inputs();
    in.commission_key = key_file;
    expect_failure(run_both(in), "package_signature", "", 1);

    in = day().inputs();
    in.ledger = day().dir.path() / "missing.sqlite";
    expect_failure(run_both(in), "inputs", "missing.sqlite", 2);
    // A FIFO (no writer ever comes) and a directory: refused, and nothing waits on them.
    in.ledger = day().dir.path() / "ledger.fifo";
    REQUIRE(::mkfifo(in.ledger.c_str(), 0600) == 0);
    expect_failure(run_both(in), "inputs", "ledger.fifo", 2);
    in.ledger = day().dir.path();
    expect_failure(run_both(in), "inputs", "", 2);

    auto junk = day().dir.path() / "junk.sqlite";
    write_text(junk, std::string(8192, 'x'));
    expect_failure(run_both(day().inputs(junk)), "ledger_file", "", 2);

    in = day().inputs();
    in.package = day().dir.path() / "nope.json";
    expect_failure(run_both(in), "inputs", "nope.json", 2);
    write_text(day().dir.path() / "garbled.json", "{not json");
    in.package = day().dir.path() / "garbled.json";
    expect_failure(run_both(in), "package_signature", "", 2);
}

TEST_CASE("a ledger without its closing is incomplete, never verified") {
    audit_day open_day(
        day_options{.voters = 6, .cancels = 1, .outstanding = 0, .close = false, .seed = 31});
    auto r = run_both(open_day.inputs());
    INFO(to_text(r));
    CHECK(r.result == outcome::incomplete);
    CHECK(r.exit_code() == 1);
    REQUIRE(r.first_failure.has_value());
    CHECK(r.first_failure->check == "complete");
}
