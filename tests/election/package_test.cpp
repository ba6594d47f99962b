#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "common/canonical_json.h"
#include "crypto/random.h"
#include "election/package_builder.h"
#include "election/signed_package.h"

using namespace ballotbox;
using namespace ballotbox::election;

namespace {

boost::json::value read_template() {
    std::ifstream in(std::string(BALLOTBOX_SOURCE_DIR) +
                     "/docs/examples/kz-2023-majilis-astana-01.template.json");
    std::stringstream s;
    s << in.rdbuf();
    auto v = parse_json_strict(s.str());
    REQUIRE(v.ok());
    return *v;
}

struct fixture {
    crypto::seeded_random random{2023};
    crypto::ed25519_private_key commission = crypto::ed25519_private_key::generate(random);
    crypto::ed25519_private_key booth = crypto::ed25519_private_key::generate(random);

    boost::json::value package() {
        package_completion c;
        c.opening_secret = "sealed-envelope-7";
        c.scrypt = {1024, 8, 1};  // cheap for tests; real packages use the default
        c.booths = {{"booth-1", booth.public_key()}};
        auto doc = complete_package(read_template(), c, random);
        REQUIRE(doc.ok());
        return *doc;
    }
    std::string signed_file(const boost::json::value& doc) {
        auto text = sign_package(doc, commission);
        INFO((text.ok() ? std::string() : text.err().message));
        REQUIRE(text.ok());
        return *text;
    }
    result<election_package> load(const std::string& text, load_options o = {}) {
        return load_signed_package(text, commission.public_key(), o);
    }
    // Re-signs after a change, so the test reaches the validation behind the signature.
    std::string code_after(void (*change)(boost::json::object&)) {
        auto doc = package();
        change(doc.get_object());
        auto canonical = canonical_json(doc);
        REQUIRE(canonical.ok());
        auto sig = commission.sign(as_bytes(*canonical));
        boost::json::object file{{"package", doc},
                                 {"signature",
                                  {{"algorithm", "ed25519"},
                                   {"key", to_base64(commission.public_key().raw())},
                                   {"value", to_base64(sig)}}}};
        auto r = load(boost::json::serialize(file));
        std::string outcome = r.ok() ? "ok" : r.err().code + " / " + r.err().message;
        MESSAGE(outcome);
        return outcome;
    }
};

}  // namespace

TEST_CASE("the sample 2023 Majilis package loads with its real structure") {
    fixture f;
    auto p = f.load(f.signed_file(f.package()));
    REQUIRE(p.ok());
    CHECK(p->election_id == "kz-2023-majilis");
    CHECK(p->station_id == "astana-0001");
    CHECK(p->district_number == 1);
    REQUIRE(p->ballots.size() == 2);
    CHECK(p->ballots[0].options.size() == 7);
    CHECK(p->ballots[0].options[0].id == "amanat");
    CHECK(p->ballots[0].options[6].id == "jsdp");
    CHECK(p->ballots[1].options.size() == 16);
    CHECK(p->styles.size() == 2);
    CHECK(p->styles[1].ballots == std::vector<std::size_t>{0});
    CHECK(p->training);
    REQUIRE(p->party_list_seats.has_value());
    CHECK(p->party_list_seats->seats == 69);
    // Astana was on UTC+6 on 19 March 2023: 07:00 local is 01:00 UTC.
    CHECK(format_local("UTC", p->opens_at) == "2023-03-19 01:00:00 +0000");
    CHECK(format_local(p->time_zone, p->closes_at) == "2023-03-19 20:00:00 +0600");
    CHECK(p->turnout_reports_at.size() == 6);
    CHECK(opening_secret_matches("sealed-envelope-7", p->opening_secret));
    CHECK_FALSE(opening_secret_matches("sealed-envelope-8", p->opening_secret));
    CHECK(p->find_booth(f.booth.public_key().raw()) != nullptr);
    CHECK(to_hex(p->package_hash) == to_hex(crypto::sha256(as_bytes(p->canonical_text))));
}

TEST_CASE("unsigned, foreign-signed and altered packages are refused, each with its reason") {
    fixture f;
    auto doc = f.package();
    auto file = f.signed_file(doc);

    auto unsigned_file = boost::json::serialize(boost::json::object{{"package", doc}});
    CHECK(f.load(unsigned_file).err().code == "election.unsigned");

    crypto::seeded_random other_random(99);
    auto other = crypto::ed25519_private_key::generate(other_random);
    auto foreign = sign_package(doc, other);
    REQUIRE(foreign.ok());
    CHECK(f.load(*foreign).err().code == "election.wrong_signer");

    auto altered = file;
    auto pos = altered.find("\"voters_on_list\":2400");
    REQUIRE(pos != std::string::npos);
    altered.replace(pos, 21, "\"voters_on_list\":2401");
    CHECK(f.load(altered).err().code == "election.bad_signature");

    CHECK(f.load("{not json").err().code == "election.not_json");
    CHECK(f.load("[1,2]").err().code == "election.bad_package");
    CHECK(f.load(file, {std::string("astana-0002")}).err().code == "election.other_station");
    CHECK(f.load(file, {std::string("astana-0001")}).ok());
}

TEST_CASE("malformed packages are refused with the member that is wrong") {
    fixture f;
    CHECK(f.code_after([](auto& o) {
               o["format"] = "ballotbox/election-package/9";
           }).starts_with("election.unknown_format"));
    CHECK(f.code_after([](auto& o) { o.erase("ballots"); }) ==
          "election.bad_package / package.ballots: missing");
    CHECK(f.code_after([](auto& o) { o["extra"] = 1; }) ==
          "election.bad_package / package.extra: unknown member");
    CHECK(f.code_after([](auto& o) {
               o["station"].as_object()["voters_on_list"] = -1;
           }).starts_with("election.bad_package / package.station.voters_on_list"));
    CHECK(f.code_after([](auto& o) {
               o["ballots"].as_array()[0].as_object()["options"].as_array()[1].as_object()["id"] =
                   "amanat";
           }).starts_with("election.bad_package / package.ballots[0].options[1].id"));
    CHECK(f.code_after([](auto& o) {
               o["booths"] = boost::json::array();
           }).starts_with("election.bad_package / package.booths"));
    CHECK(f.code_after([](auto& o) {
               o["ballot_styles"].as_array()[1].as_object()["ballots"] = {"nope"};
           }).starts_with("election.bad_package / package.ballot_styles[1].ballots"));
    CHECK(f.code_after([](auto& o) {
               o["time_zone"] = "Mars/Olympus_Mons";
           }).starts_with("election.bad_package / package.time_zone"));
    CHECK(f.code_after([](auto& o) {
               o["opening_secret"].as_object()["n"] = 1000;
           }).starts_with("election.bad_package / package.opening_secret.n"));
}

TEST_CASE("impossible times are refused") {
    fixture f;
    CHECK(f.code_after([](auto& o) {
               o["hours"].as_object()["closes"] = "06:00";
           }).starts_with("election.impossible_times"));
    CHECK(f.code_after([](auto& o) {
               o["hours"].as_object()["opens"] = "7:00";
           }).starts_with("election.bad_package / package.hours.opens"));
    CHECK(f.code_after([](auto& o) {
               o["hours"].as_object()["closes"] = "24:00";
           }).starts_with("election.bad_package / package.hours.closes"));
    CHECK(f.code_after([](auto& o) {
               o["hours"].as_object()["turnout_reports"] = {"12:00", "10:00"};
           }).starts_with("election.impossible_times"));
    CHECK(f.code_after([](auto& o) {
               o["hours"].as_object()["turnout_reports"] = {"21:00"};
           }).starts_with("election.impossible_times"));
    CHECK(f.code_after([](auto& o) {
               o["election"].as_object()["date"] = "2023-02-30";
           }).starts_with("election.bad_package / package.election.date"));
    // 02:30 did not exist in New York on 12 March 2023 (clocks went from 02:00 to 03:00).
    CHECK(f.code_after([](auto& o) {
               o["time_zone"] = "America/New_York";
               o["election"].as_object()["date"] = "2023-03-12";
               o["hours"].as_object()["opens"] = "02:30";
               o["hours"].as_object()["turnout_reports"] = boost::json::array();
           }).starts_with("election.impossible_times"));
}

TEST_CASE("an overseas station's hours are in its own time zone") {
    fixture f;
    auto doc = f.package();
    doc.get_object()["time_zone"] = "America/New_York";
    auto p = f.load(f.signed_file(doc));
    REQUIRE(p.ok());
    // New York was on EDT (UTC-4) on 19 March 2023.
    CHECK(format_local("UTC", p->closes_at) == "2023-03-20 00:00:00 +0000");
    CHECK(format_local(p->time_zone, p->closes_at) == "2023-03-19 20:00:00 -0400");
}

TEST_CASE("the shipped training package verifies against the shipped training commission key") {
    std::string dir = std::string(BALLOTBOX_SOURCE_DIR) + "/docs/examples/";
    auto key = crypto::ed25519_public_key::load(dir + "training-commission.pub.pem");
    REQUIRE(key.ok());
    auto p = load_signed_package_file(dir + "kz-2023-majilis-astana-01.package.json", *key);
    INFO((p.ok() ? std::string() : p.err().message));
    REQUIRE(p.ok());
    CHECK(p->training);
    CHECK(p->booths.size() == 2);
    CHECK(opening_secret_matches("training-envelope-2023", p->opening_secret));
    auto booth = crypto::ed25519_public_key::load(dir + "training-booth-1.pub.pem");
    REQUIRE(booth.ok());
    CHECK(p->find_booth(booth->raw()) != nullptr);
}
