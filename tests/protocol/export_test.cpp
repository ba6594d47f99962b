#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "common/canonical_json.h"
#include "common/read_file.h"
#include "protocol/qr_payload.h"
#include "protocol/verify_protocol.h"
#include "tests/protocol/export_fixture.h"

using namespace ballotbox;
using namespace ballotbox::protocol;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    return read_small_file(p, 1 << 24).value();
}

void put(const fs::path& p, const std::string& s) {
    REQUIRE(write_file_atomically(p, s).ok());
}

std::string verify_code(const fs::path& dir) {
    auto v = verify_export_dir(dir);
    return v.ok() ? "ok" : v.err().code;
}

}  // namespace

TEST_CASE(
    "the export holds the five files; protocol.json is the canonical document and parses back") {
    test_support::exported_day day;
    for (auto name : {"protocol.json", "protocol.json.sig", "appliance.pub.pem", "checkpoint.txt",
                      "protocol.nist.json"})
        CHECK_MESSAGE(fs::is_regular_file(day.export_dir / name), name);
    auto text = slurp(day.export_dir / "protocol.json");
    CHECK(text == day.signed_result.json);
    CHECK(text.starts_with("{\"appliance_key\":\""));
    auto doc = parse_protocol_json(text);
    REQUIRE(doc.ok());
    CHECK(*doc == day.signed_result.document);
    CHECK(fs::file_size(day.export_dir / "protocol.json.sig") == 64);
    // No temporary files are left behind.
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(day.export_dir))
        ++files;
    CHECK(files == 5);
}

TEST_CASE("the stock openssl command from the doc verifies the signature") {
    test_support::exported_day day;
    std::string out;
    auto cmd =
        "cd '" + day.export_dir.string() +
        "' && openssl pkeyutl -verify -pubin -inkey appliance.pub.pem -rawin -in protocol.json "
        "-sigfile protocol.json.sig";
    CHECK(test_support::run_command(cmd, out) == 0);
    CHECK(out.find("Signature Verified Successfully") != std::string::npos);
    // And it refuses a changed document.
    auto text = slurp(day.export_dir / "protocol.json");
    text[text.find("\"blank\":1") + 8] = '2';
    put(day.export_dir / "protocol.json", text);
    CHECK(test_support::run_command(cmd, out) != 0);
    CHECK(out.find("Signature Verification Failure") != std::string::npos);
}

TEST_CASE("verify-protocol vouches for an intact export and prints its figures") {
    test_support::exported_day day;
    auto v = verify_export_dir(day.export_dir, day.key);
    REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : v.err().message));
    CHECK(v->reconciled());
    CHECK(v->document.ballots[0].options[0].votes == 3);
    std::ostringstream out, err;
    CHECK(run_verify_protocol({day.export_dir.string(), "--key", to_hex(day.key)}, out, err) == 0);
    CHECK(out.str().find(
              "ballot party-list: issued 12 + 1 portable, cancelled 1, not returned 3, cast 8 + 1 "
              "portable, took part 9, turnout 0.37 %") != std::string::npos);
    CHECK(out.str().find("  amanat 3\n") != std::string::npos);
    CHECK(out.str().find("VERIFIED") != std::string::npos);
    std::ostringstream o2, e2;
    CHECK(run_verify_protocol({}, o2, e2) == 2);
}

TEST_CASE("tampering with the exported files is caught, each named") {
    test_support::exported_day day;
    const auto& d = day.export_dir;
    auto original = slurp(d / "protocol.json");

    SUBCASE("a changed figure, re-canonicalized") {
        auto t = original;
        auto at = t.find("\"votes\":3");
        REQUIRE(at != std::string::npos);
        t[at + 8] = '4';
        put(d / "protocol.json", t);
        CHECK(verify_code(d) == "protocol.bad_signature");
    }
    SUBCASE("re-formatted JSON") {
        put(d / "protocol.json", original + "\n");
        CHECK(verify_code(d) == "protocol.not_canonical");
    }
    SUBCASE("a flipped signature bit") {
        auto s = slurp(d / "protocol.json.sig");
        s[10] = static_cast<char>(s[10] ^ 1);
        put(d / "protocol.json.sig", s);
        CHECK(verify_code(d) == "protocol.bad_signature");
    }
    SUBCASE("a truncated signature") {
        put(d / "protocol.json.sig", slurp(d / "protocol.json.sig").substr(0, 63));
        CHECK(verify_code(d) == "protocol.bad_signature");
    }
    SUBCASE("another key") {
        auto other = crypto::ed25519_private_key::from_seed(bytes(32, 9)).value();
        put(d / "appliance.pub.pem", other.public_key().to_pem());
        CHECK(verify_code(d) == "protocol.key_mismatch");
    }
    SUBCASE("an untrusted key") {
        auto other = crypto::ed25519_private_key::from_seed(bytes(32, 9)).value();
        CHECK(verify_export_dir(d, other.public_key().raw()).err().code ==
              "protocol.untrusted_key");
    }
    SUBCASE("a checkpoint of another size") {
        auto note = slurp(d / "checkpoint.txt");
        auto nl = note.find('\n');
        auto nl2 = note.find('\n', nl + 1);
        note.replace(nl + 1, nl2 - nl - 1, "1");
        put(d / "checkpoint.txt", note);
        CHECK(verify_code(d) == "protocol.checkpoint_invalid");
    }
    SUBCASE("a missing file") {
        fs::remove(d / "checkpoint.txt");
        CHECK(verify_code(d) == "protocol.missing_file");
    }
    SUBCASE("a NIST file with other counts") {
        auto n = slurp(d / "protocol.nist.json");
        auto at = n.find("\"Count\":3");
        REQUIRE(at != std::string::npos);
        n[at + 8] = '5';
        put(d / "protocol.nist.json", n);
        CHECK(verify_code(d) == "protocol.nist_mismatch");
    }
}

TEST_CASE("a signed document whose figures do not reconcile is authentic but not vouched for") {
    test_support::exported_day day;
    auto key = crypto::ed25519_private_key::from_seed(bytes(32, 0x42)).value();
    auto doc = day.signed_result.document;
    doc.ballots[0].cast_station += 1;
    doc.checks = compute_checks(doc);
    report rep{doc, day.signed_result.checkpoint_note};
    auto sp = sign_report(rep, key);
    REQUIRE(sp.ok());
    // The NIST file is made from the same figures.
    REQUIRE(export_protocol(day.export_dir, *sp, day.package).ok());
    auto v = verify_export_dir(day.export_dir);
    REQUIRE(v.ok());
    CHECK_FALSE(v->reconciled());
    REQUIRE(v->failures.size() == 2);
    CHECK(v->failures[0].what == "cast 10 + cancelled 1 + not returned 3 = 14, but issued = 13");
    std::ostringstream out, err;
    CHECK(run_verify_protocol({day.export_dir.string()}, out, err) == 1);
    CHECK(out.str().find("NOT RECONCILED") != std::string::npos);
    // Carrying a check as holding when the figures say otherwise is refused outright.
    for (auto& c : doc.checks)
        c.holds = true;
    auto lying = sign_report(report{doc, day.signed_result.checkpoint_note}, key);
    REQUIRE(export_protocol(day.export_dir, *lying, day.package).ok());
    CHECK(verify_code(day.export_dir) == "protocol.checks_misstated");
}

TEST_CASE("the QR texts carry the signed figures and any change is caught") {
    test_support::exported_day day;
    const auto& texts = day.signed_result.qr_texts;
    REQUIRE(texts.size() >= 2);
    for (const auto& t : texts)
        CHECK(t.size() <= 420);
    auto v = verify_qr(texts, day.key);
    REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : v.err().message));
    CHECK(v->document.ballots[1].options[15].votes == 1);
    CHECK(v->document.ballots[0].not_returned == 3);
    CHECK(v->short_digest == short_digest(day.signed_result.json));
    auto pin = v->document.ledger;
    CHECK(pin.origin.empty());  // the origin is not carried: the rest of the pin is
    pin.origin = day.signed_result.document.ledger.origin;
    CHECK(pin == day.signed_result.document.ledger);
    auto reversed = std::vector<std::string>(texts.rbegin(), texts.rend());
    CHECK(verify_qr(reversed).ok());

    auto code = [](const std::vector<std::string>& t) {
        auto r = verify_qr(t);
        return r.ok() ? std::string("ok") : r.err().code;
    };
    auto changed = texts;
    auto& c = changed[0];
    c[c.size() / 2] = c[c.size() / 2] == 'A' ? 'B' : 'A';
    CHECK(code(changed) == "protocol.qr_bad_signature");
    CHECK(code({texts[0]}) == "protocol.qr_missing_part");
    CHECK(code({texts[0], texts[0]}) == "protocol.qr_duplicate_part");
    CHECK(code({"hello"}) == "protocol.qr_bad_prefix");
    CHECK(code({"BBP1:0/1:AAAA"}) == "protocol.qr_bad_part");
    CHECK(code({"BBP1:1/1:A+AA"}) == "protocol.qr_bad_base64");
    CHECK(code({"BBP1:1/1:AQ"}) == "protocol.qr_truncated");
    CHECK(code({}) == "protocol.qr_no_codes");
    auto other = crypto::ed25519_private_key::from_seed(bytes(32, 9)).value();
    CHECK(verify_qr(texts, other.public_key().raw()).err().code == "protocol.untrusted_key");
}

TEST_CASE("protocol.json parsing is strict, one code per fault") {
    test_support::exported_day day;
    auto doc = boost::json::parse(day.signed_result.json).as_object();
    auto code = [](const boost::json::object& o) {
        auto t = canonical_json(o).value();
        auto r = parse_protocol_json(t);
        return r.ok() ? std::string("ok") : r.err().code;
    };
    CHECK(code(doc) == "ok");
    auto d = doc;
    d["format"] = "ballotbox/protocol/2";
    CHECK(code(d) == "protocol.bad_format");
    d = doc;
    d.erase("voters_added");
    CHECK(code(d) == "protocol.missing_member");
    d = doc;
    d["extra"] = 1;
    CHECK(code(d) == "protocol.unknown_member");
    d = doc;
    d["voters_on_list"] = -1;
    CHECK(code(d) == "protocol.bad_member");
    d = doc;
    d["kind"] = "final";
    CHECK(code(d) == "protocol.bad_member");
    d = doc;
    d["ledger"].as_object()["root"] = "AAAA";
    CHECK(code(d) == "protocol.bad_member");
    CHECK(parse_protocol_json("{").err().code == "protocol.not_json");
}

TEST_CASE("the NIST SP 1500-100 v2 report has the schema's shape") {
    test_support::exported_day day;
    auto v = boost::json::parse(slurp(day.export_dir / "protocol.nist.json")).as_object();
    // ElectionReport's required members (NIST_V2_election_results_reporting.json).
    for (auto m : {"Format", "GeneratedDate", "Issuer", "IssuerAbbreviation", "SequenceEnd",
                   "SequenceStart", "Status", "VendorApplicationId"})
        CHECK_MESSAGE(v.contains(m), m);
    CHECK(v["@type"] == "ElectionResults.ElectionReport");
    CHECK(v["Format"] == "precinct-level");
    CHECK(v["Status"] == "unofficial-complete");
    CHECK(v["IsTest"] == true);
    auto& unit = v["GpUnit"].as_array()[0].as_object();
    CHECK(unit["@type"] == "ElectionResults.ReportingUnit");
    CHECK(unit["Type"] == "precinct");
    CHECK(unit["VotersRegistered"] == 2403);
    auto& election = v["Election"].as_array()[0].as_object();
    for (auto m : {"ElectionScopeId", "EndDate", "Name", "StartDate", "Type"})
        CHECK_MESSAGE(election.contains(m), m);
    CHECK(election["ElectionScopeId"] == unit["@id"]);
    CHECK(election["StartDate"] == "2023-03-19");
    CHECK(election["Name"].as_object()["Text"].as_array()[0].as_object()["Language"] == "kk");
    auto& contests = election["Contest"].as_array();
    REQUIRE(contests.size() == 2);
    auto& party = contests[0].as_object();
    CHECK(party["@type"] == "ElectionResults.PartyContest");
    for (auto m : {"ElectoralDistrictId", "Name", "@id"})
        CHECK(party.contains(m));
    auto& psel = party["BallotSelection"].as_array();
    REQUIRE(psel.size() == 8);  // 7 parties + against all
    CHECK(psel[0].as_object()["@type"] == "ElectionResults.PartySelection");
    auto& vc = psel[0].as_object()["VoteCounts"].as_array()[0].as_object();
    CHECK(vc["@type"] == "ElectionResults.VoteCounts");
    CHECK(vc["Type"] == "total");
    CHECK(vc["Count"] == 3);
    CHECK(psel[7].as_object()["VoteCounts"].as_array()[0].as_object()["Count"] == 1);
    auto& cand = contests[1].as_object();
    CHECK(cand["@type"] == "ElectionResults.CandidateContest");
    CHECK(cand["VotesAllowed"] == 1);
    auto& csel = cand["BallotSelection"].as_array();
    REQUIRE(csel.size() == 17);
    CHECK(csel[0].as_object()["@type"] == "ElectionResults.CandidateSelection");
    // Every referenced Party and Candidate exists.
    std::set<std::string> parties, candidates;
    for (auto& p : v["Party"].as_array())
        parties.insert(std::string(p.as_object().at("@id").as_string()));
    for (auto& c : election["Candidate"].as_array())
        candidates.insert(std::string(c.as_object().at("@id").as_string()));
    for (auto& s : psel)
        CHECK(
            parties.contains(std::string(s.as_object().at("PartyIds").as_array()[0].as_string())));
    for (auto& s : csel)
        CHECK(candidates.contains(
            std::string(s.as_object().at("CandidateIds").as_array()[0].as_string())));
    auto& summary = cand["SummaryCounts"].as_array()[0].as_object();
    CHECK(summary["BallotsCast"] == 7);
    CHECK(summary["Undervotes"] == 1);
    CHECK(summary["BallotsOutstanding"] == 2);
}
