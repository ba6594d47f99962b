// Protocols verified on arrival and added up: a small generated election, then forged,
// wrongly keyed, duplicated, conflicting, foreign and unreconciled protocols.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>

#include "common/canonical_json.h"
#include "crypto/random.h"
#include "tally/percent.h"
#include "tally/report_output.h"
#include "tally/tally_report.h"
#include "tests/support/temp_dir.h"
#include "tools/protocol-generator/generator.h"

using namespace ballotbox;
using namespace ballotbox::tally;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

generator::generator_options small_options(const fs::path& out) {
    generator::generator_options o;
    o.stations = 12;
    o.seed = 7;
    o.election_id = "test-election";
    o.regions = {{"North", 1}, {"South", 2}};
    o.parties = {{"p1", "Party One", 5000}, {"p2", "Party Two", 3000}, {"p3", "Party Three", 400}};
    o.against_all = 300;
    o.blank = 100;
    o.voters_on_lists = 20000;
    o.seat_rules = {10, 500, 2};
    o.out_dir = out;
    return o;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
void spit(const fs::path& p, std::string_view s) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
}

// Copies an export and rewrites its protocol.json with `edit`, signed by `key`.
template <class Edit>
fs::path altered(const fs::path& from, const fs::path& to, const crypto::ed25519_private_key& key,
                 Edit edit) {
    fs::create_directories(to);
    for (auto name : {"protocol.json", "protocol.json.sig", "appliance.pub.pem", "checkpoint.txt"})
        fs::copy_file(from / name, to / name, fs::copy_options::overwrite_existing);
    auto doc = parse_json_strict(slurp(from / "protocol.json"));
    REQUIRE(doc.ok());
    edit(doc->as_object());
    auto bytes = canonical_json(*doc);
    REQUIRE(bytes.ok());
    spit(to / "protocol.json", *bytes);
    auto sig = key.sign(as_bytes(*bytes));
    spit(to / "protocol.json.sig", as_chars(sig));
    return to;
}

json::object& party_list(json::object& doc) {
    return doc["ballots"].as_array()[0].as_object();
}

struct election_fixture {
    test_support::temp_dir dir{"ballotbox-tally-test"};
    generator::generator_options options = small_options(dir.path());
    generator::generated_election gen;
    std::optional<election_index> election;
    std::optional<station_registry> registry;

    election_fixture() {
        auto g = generator::generate(options);
        REQUIRE_MESSAGE(g.ok(), (g.ok() ? "" : g.err().message));
        gen = *g;
        auto key = crypto::ed25519_public_key::load(gen.commission_public_key);
        REQUIRE(key.ok());
        std::vector<fs::path> files;
        for (const auto& id : gen.station_ids)
            files.push_back(gen.packages_dir / (id + ".json"));
        auto idx = load_packages(files, *key, 2);
        REQUIRE_MESSAGE(idx.ok(), (idx.ok() ? "" : idx.err().message));
        election.emplace(std::move(*idx));
        auto reg = station_registry::load(gen.registry);
        REQUIRE(reg.ok());
        registry.emplace(std::move(*reg));
    }
    fs::path export_of(std::size_t i) const { return gen.exports_dir / gen.station_ids[i]; }
    std::vector<fs::path> all_exports() const {
        std::vector<fs::path> out;
        for (std::size_t i = 0; i < gen.station_ids.size(); ++i)
            out.push_back(export_of(i));
        return out;
    }
    crypto::ed25519_private_key station_key(std::size_t i) const {
        auto k = generator::appliance_key_for(options.seed, gen.station_ids[i]);
        REQUIRE(k.ok());
        return *k;
    }
    tally_report run(const std::vector<fs::path>& dirs) const {
        auto r = make_tally(*election, verify_all(dirs, verify_context{*election, *registry}, 2));
        REQUIRE(r.ok());
        return *r;
    }
};

const rejection* rejected_at(const tally_report& r, const fs::path& p) {
    for (const auto& x : r.rejected)
        if (x.source == p)
            return &x;
    return nullptr;
}

}  // namespace

TEST_CASE("a complete generated election adds up to its totals exactly") {
    election_fixture f;
    auto r = f.run(f.all_exports());
    CHECK(r.rejected.empty());
    CHECK(r.missing.empty());
    CHECK(r.counted.size() == 12);
    REQUIRE(r.national_party_list.has_value());
    CHECK(r.national_party_list->options[0].votes == 5000);
    CHECK(r.national_party_list->options[1].votes == 3000);
    CHECK(r.national_party_list->options[2].votes == 400);
    CHECK(r.national_party_list->against_all == 300);
    CHECK(r.national_party_list->blank == 100);
    CHECK(r.national_party_list->voters == 20000);
    CHECK(r.national_party_list->valid == 8700);
    CHECK(r.regions.size() == 2);
    CHECK(r.regions[0].party_list.stations_counted + r.regions[1].party_list.stations_counted ==
          12);
    CHECK(r.districts.size() == 3);
    for (const auto& d : r.districts)
        CHECK(d.leaders.size() == 1);
    REQUIRE(r.seats.has_value());
    CHECK(r.seats->status == allocation_status::complete);
    // Hare over p1 5000 + p2 3000 (p3 has 4.60 %): 6.25 and 3.75 -> 6 + 4.
    CHECK(r.seats->parties[0].seats == 6);
    CHECK(r.seats->parties[1].seats == 4);
    CHECK(r.seats->parties[2].seats == 0);
    CHECK(render_text(r).find("Party One") != std::string::npos);
    auto j = render_json(r);
    REQUIRE(j.ok());
    CHECK(parse_json_strict(*j).ok());
    auto nist = render_nist(r, *f.election, "2023-03-20T00:00:00Z");
    REQUIRE(nist.ok());
    auto n = parse_json_strict(*nist);
    REQUIRE(n.ok());
    CHECK(n->at("@type") == "ElectionResults.ElectionReport");
    CHECK(n->at("Status") == "unofficial-complete");
    // nation + 2 regions + 3 districts + 12 precincts
    CHECK(n->at("GpUnit").as_array().size() == 18);
    std::map<std::string, int> types;
    for (const auto& u : n->at("GpUnit").as_array())
        ++types[std::string(u.at("Type").as_string())];
    CHECK(types["country"] == 1);
    CHECK(types["state"] == 2);
    CHECK(types["other"] == 3);
    CHECK(types["precinct"] == 12);
}

TEST_CASE("a forged protocol is rejected and the genuine one still counts") {
    election_fixture f;
    const auto forged = f.dir / "forged";
    fs::create_directories(forged);
    for (auto name : {"protocol.json", "protocol.json.sig", "appliance.pub.pem", "checkpoint.txt"})
        fs::copy_file(f.export_of(0) / name, forged / name);
    auto text = slurp(forged / "protocol.json");
    const auto at = text.find("\"voters_added\":0");
    REQUIRE(at != std::string::npos);
    text.replace(at, 16, "\"voters_added\":9");
    spit(forged / "protocol.json", text);
    auto dirs = f.all_exports();
    dirs.push_back(forged);
    auto r = f.run(dirs);
    const auto* x = rejected_at(r, forged);
    REQUIRE(x != nullptr);
    CHECK(x->why.code == "tally.bad_signature");
    CHECK(r.counted.size() == 12);
    CHECK(r.national_party_list->voters == 20000);
}

TEST_CASE("a protocol signed and shipped with an unregistered key is rejected") {
    election_fixture f;
    crypto::seeded_random random(99);
    auto other = crypto::ed25519_private_key::generate(random);
    auto dir = altered(f.export_of(1), f.dir / "wrong-key", other, [&](json::object& doc) {
        doc["appliance_key"] = to_hex(other.public_key().raw());
    });
    spit(dir / "appliance.pub.pem", other.public_key().to_pem());
    auto r = f.run(std::vector<fs::path>{dir});
    REQUIRE(rejected_at(r, dir) != nullptr);
    CHECK(rejected_at(r, dir)->why.code == "tally.key_not_registered");
    // Only the PEM swapped (document still names the registered key): also refused.
    auto pem_only = altered(f.export_of(1), f.dir / "pem-only", other, [](json::object&) {});
    spit(pem_only / "appliance.pub.pem", other.public_key().to_pem());
    auto r2 = f.run(std::vector<fs::path>{pem_only});
    CHECK(rejected_at(r2, pem_only)->why.code == "tally.key_not_registered");
    // The registered key in the files but a signature by another key: bad signature.
    auto resigned = altered(f.export_of(1), f.dir / "resigned", other, [](json::object&) {});
    auto r3 = f.run(std::vector<fs::path>{resigned});
    CHECK(rejected_at(r3, resigned)->why.code == "tally.bad_signature");
}

TEST_CASE("the same protocol twice counts once and is listed as a duplicate") {
    election_fixture f;
    const auto copy = f.dir / "copy";
    fs::create_directories(copy);
    for (auto name : {"protocol.json", "protocol.json.sig", "appliance.pub.pem", "checkpoint.txt"})
        fs::copy_file(f.export_of(2) / name, copy / name);
    auto dirs = f.all_exports();
    dirs.push_back(copy);
    auto r = f.run(dirs);
    CHECK(r.rejected.empty());
    CHECK(r.counted.size() == 12);
    REQUIRE(r.duplicates.size() == 1);
    CHECK(r.duplicates[0].station_id == f.gen.station_ids[2]);
    CHECK(r.duplicates[0].sources.size() == 2);
    CHECK(r.national_party_list->options[0].votes == 5000);
}

TEST_CASE("two different valid protocols for one station: a conflict, neither counted") {
    election_fixture f;
    auto other = altered(f.export_of(3), f.dir / "second", f.station_key(3), [](json::object& doc) {
        auto& opts = party_list(doc)["options"].as_array();
        auto& a = opts[0].as_object()["votes"];
        auto& b = opts[1].as_object()["votes"];
        REQUIRE(a.as_int64() > 0);
        a = a.as_int64() - 1;
        b = b.as_int64() + 1;
    });
    auto dirs = f.all_exports();
    dirs.push_back(other);
    auto r = f.run(dirs);
    CHECK(r.rejected.empty());
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].station_id == f.gen.station_ids[3]);
    CHECK(r.conflicts[0].sources.size() == 2);
    CHECK(r.counted.size() == 11);
    REQUIRE(r.missing.size() == 1);
    CHECK(r.missing[0].station_id == f.gen.station_ids[3]);
    CHECK(r.missing[0].reason == "conflict");
    CHECK(r.national_party_list->options[0].votes < 5000);
    CHECK(render_text(r).find("CONFLICTS") != std::string::npos);
}

TEST_CASE("a protocol for a station not in the election is rejected") {
    election_fixture f;
    auto dir = altered(f.export_of(4), f.dir / "foreign", f.station_key(4), [](json::object& doc) {
        doc["station"].as_object()["id"] = "station-99999";
    });
    auto r = f.run(std::vector<fs::path>{dir});
    REQUIRE(rejected_at(r, dir) != nullptr);
    CHECK(rejected_at(r, dir)->why.code == "tally.station_not_in_election");
}

TEST_CASE(
    "wrong package, figures that do not reconcile, a zero report: each rejected with its reason") {
    election_fixture f;
    const auto other_hash = parse_json_strict(slurp(f.export_of(6) / "protocol.json"))
                                ->at("election")
                                .at("package_sha256");
    auto wrong_package = altered(
        f.export_of(5), f.dir / "wrong-package", f.station_key(5),
        [&](json::object& doc) { doc["election"].as_object()["package_sha256"] = other_hash; });
    auto unreconciled =
        altered(f.export_of(5), f.dir / "unreconciled", f.station_key(5), [](json::object& doc) {
            auto& blank = party_list(doc)["blank"];
            blank = blank.as_int64() + 1;
        });
    auto failed_check = altered(
        f.export_of(5), f.dir / "failed-check", f.station_key(5),
        [](json::object& doc) { doc["checks"].as_array().back().as_object()["holds"] = false; });
    auto zero = altered(f.export_of(5), f.dir / "zero", f.station_key(5),
                        [](json::object& doc) { doc["kind"] = "zero"; });
    auto not_canonical = f.dir / "not-canonical";
    fs::create_directories(not_canonical);
    for (auto name : {"protocol.json", "protocol.json.sig", "appliance.pub.pem", "checkpoint.txt"})
        fs::copy_file(f.export_of(5) / name, not_canonical / name);
    spit(not_canonical / "protocol.json", slurp(f.export_of(5) / "protocol.json") + "\n");
    auto incomplete = f.dir / "incomplete";
    fs::create_directories(incomplete);
    fs::copy_file(f.export_of(5) / "protocol.json", incomplete / "protocol.json");
    auto r = f.run(std::vector<fs::path>{wrong_package, unreconciled, failed_check, zero,
                                         not_canonical, incomplete});
    CHECK(rejected_at(r, wrong_package)->why.code == "tally.wrong_package");
    CHECK(rejected_at(r, unreconciled)->why.code == "tally.does_not_reconcile");
    CHECK(rejected_at(r, zero)->why.code == "tally.not_a_result");
    REQUIRE(rejected_at(r, failed_check) != nullptr);
    CHECK(rejected_at(r, failed_check)->why.code == "tally.does_not_reconcile");
    CHECK(rejected_at(r, failed_check)->why.message.find("cancelled_styles_known") !=
          std::string::npos);
    CHECK(rejected_at(r, not_canonical)->why.code == "tally.protocol_not_canonical");
    CHECK(rejected_at(r, incomplete)->why.code == "tally.export_incomplete");
    CHECK(r.counted.empty());
    // Every station is missing; station 5's reason says its protocol was rejected.
    CHECK(r.missing.size() == 12);
    CHECK(r.missing_share_basis_points == 10000);
    for (const auto& m : r.missing)
        CHECK(m.reason == (m.station_id == f.gen.station_ids[5] ? "rejected" : "not received"));
}

TEST_CASE("missing stations are listed with their share of the voters on the lists") {
    election_fixture f;
    auto dirs = f.all_exports();
    dirs.erase(dirs.begin() + 7);
    auto r = f.run(dirs);
    REQUIRE(r.missing.size() == 1);
    CHECK(r.missing[0].station_id == f.gen.station_ids[7]);
    CHECK(r.missing[0].reason == "not received");
    CHECK(r.missing_voters_on_lists == r.missing[0].voters_on_list);
    CHECK(r.missing_share_basis_points ==
          *percent_basis_points(r.missing[0].voters_on_list, 20000));
    CHECK(r.voters_on_lists == 20000);
}

TEST_CASE("a malformed protocol.json is refused with the protocol reader's reason as tally code") {
    // The tally reads protocol.json with protocol::parse_protocol_json; each of its codes
    // "protocol.X" reaches the commission as "tally.protocol_X" (docs/tally.md). The altered
    // documents are canonical and signed by the station's key, so only the format fails.
    election_fixture f;
    const auto key = f.station_key(5);
    auto edit = [&](const char* name, auto change) {
        return altered(f.export_of(5), f.dir / name, key, change);
    };
    auto unknown = edit("unknown", [](json::object& d) { d["remarks"] = "none"; });
    auto missing = edit("missing", [](json::object& d) { d.erase("voters_added"); });
    auto mistyped = edit("mistyped", [](json::object& d) { d["voters_on_list"] = "many"; });
    auto negative = edit("negative", [](json::object& d) { party_list(d)["blank"] = -1; });
    auto format = edit("format", [](json::object& d) { d["format"] = "ballotbox/protocol/2"; });
    auto nested =
        edit("nested", [](json::object& d) { d["ledger"].as_object()["root"] = "not base64!"; });
    auto not_json = f.dir / "not-json";
    fs::create_directories(not_json);
    for (auto name : {"protocol.json", "protocol.json.sig", "appliance.pub.pem", "checkpoint.txt"})
        fs::copy_file(f.export_of(5) / name, not_json / name);
    spit(not_json / "protocol.json", "{\"format\":");
    auto too_large = f.dir / "too-large";
    fs::create_directories(too_large);
    for (auto name : {"protocol.json.sig", "appliance.pub.pem", "checkpoint.txt"})
        fs::copy_file(f.export_of(5) / name, too_large / name);
    spit(too_large / "protocol.json", std::string(protocol::max_protocol_json_bytes + 1, ' '));

    auto r = f.run(std::vector<fs::path>{unknown, missing, mistyped, negative, format, nested,
                                         not_json, too_large});
    auto code = [&](const fs::path& p) {
        const auto* x = rejected_at(r, p);
        return x ? x->why.code : std::string("accepted");
    };
    CHECK(code(unknown) == "tally.protocol_unknown_member");
    CHECK(rejected_at(r, unknown)->why.message.find("remarks") != std::string::npos);
    CHECK(code(missing) == "tally.protocol_missing_member");
    CHECK(rejected_at(r, missing)->why.message.find("voters_added") != std::string::npos);
    CHECK(code(mistyped) == "tally.protocol_bad_member");
    CHECK(code(negative) == "tally.protocol_bad_member");
    CHECK(rejected_at(r, negative)->why.message.find("ballots[0].blank") != std::string::npos);
    CHECK(code(format) == "tally.protocol_bad_format");
    CHECK(code(nested) == "tally.protocol_bad_member");
    CHECK(rejected_at(r, nested)->why.message.find("ledger.root") != std::string::npos);
    CHECK(code(not_json) == "tally.protocol_not_json");
    CHECK(code(too_large) == "tally.file_too_large");
    CHECK(r.counted.empty());
}

TEST_CASE("figures that do not reconcile are refused naming the ballot and the line in words") {
    election_fixture f;
    auto more_blank =
        altered(f.export_of(5), f.dir / "more-blank", f.station_key(5), [](json::object& doc) {
            auto& blank = party_list(doc)["blank"];
            blank = blank.as_int64() + 1;
        });
    auto r = f.run(std::vector<fs::path>{more_blank});
    const auto* x = rejected_at(r, more_blank);
    REQUIRE(x != nullptr);
    CHECK(x->why.code == "tally.does_not_reconcile");
    const auto ballot_id = std::string(parse_json_strict(slurp(f.export_of(5) / "protocol.json"))
                                           ->at("ballots")
                                           .at(0)
                                           .at("id")
                                           .as_string());
    CHECK(x->why.message.find("ballot \"" + ballot_id + "\"") != std::string::npos);
    CHECK(x->why.message.find("blank") != std::string::npos);
    CHECK(x->why.message.find("but cast") != std::string::npos);
}
