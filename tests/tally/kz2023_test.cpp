// The whole 2023 Mäjilis party-list result through the tally: 10,223 generated, signed
// protocols whose figures add up to the official national totals give the official seats
// and percentages. Slow-ish (generation and verification of 10,223 protocols).
#include <doctest/doctest.h>

#include <map>

#include "tally/percent.h"
#include "tally/report_output.h"
#include "tally/tally_report.h"
#include "tests/support/temp_dir.h"
#include "tools/protocol-generator/generator.h"

using namespace ballotbox;
using namespace ballotbox::tally;
namespace fs = std::filesystem;

TEST_CASE(
    "10,223 generated protocols summing to the 2023 totals give the official seats and "
    "percentages") {
    const fs::path reference =
        fs::path(BALLOTBOX_SOURCE_DIR) / ".." / "shared" / "elections" / "kz-2023-majilis";
    auto options = generator::kz_2023_options(reference);
    REQUIRE_MESSAGE(options.ok(), (options.ok() ? "" : options.err().message));
    test_support::temp_dir dir("ballotbox-kz2023");
    options->stations = 10223;
    options->seed = 2023;
    options->out_dir = dir.path();
    auto gen = generator::generate(*options);
    REQUIRE_MESSAGE(gen.ok(), (gen.ok() ? "" : gen.err().message));

    auto key = crypto::ed25519_public_key::load(gen->commission_public_key);
    REQUIRE(key.ok());
    std::vector<fs::path> packages, exports;
    for (const auto& id : gen->station_ids) {
        packages.push_back(gen->packages_dir / (id + ".json"));
        exports.push_back(gen->exports_dir / id);
    }
    auto election = load_packages(packages, *key, 2);
    REQUIRE_MESSAGE(election.ok(), (election.ok() ? "" : election.err().message));
    CHECK(election->regions().size() == 20);
    CHECK(election->districts().size() == 29);
    auto registry = station_registry::load(gen->registry);
    REQUIRE(registry.ok());
    auto report =
        make_tally(*election, verify_all(exports, verify_context{*election, *registry}, 2));
    REQUIRE(report.ok());
    CHECK(report->rejected.empty());
    CHECK(report->missing.empty());
    CHECK(report->counted.size() == 10223);

    const auto& pl = *report->national_party_list;
    CHECK(pl.valid == 6366441);
    CHECK(pl.against_all == 248291);
    CHECK(pl.blank == 158046);
    CHECK(pl.took_part == 6524487);
    CHECK(pl.voters == 12035578);
    CHECK(format_basis_points(pl.turnout_basis_points) == "54.21");
    CHECK(format_basis_points(pl.against_all_basis_points) == "3.90");

    // national-party-list.csv: votes, official percent, official seats.
    const std::map<std::string, std::tuple<std::int64_t, std::string, std::int64_t>> official{
        {"amanat", {3431510, "53.90", 40}},  {"auyl", {693938, "10.90", 8}},
        {"respublica", {547154, "8.59", 6}}, {"aq-jol", {535139, "8.41", 6}},
        {"qhp", {432920, "6.80", 5}},        {"jsdp", {331058, "5.20", 4}},
        {"baytaq", {146431, "2.30", 0}}};
    REQUIRE(report->seats.has_value());
    CHECK(report->seats->status == allocation_status::complete);
    REQUIRE(report->seats->parties.size() == 7);
    for (const auto& p : report->seats->parties) {
        INFO(p.id);
        REQUIRE(official.count(p.id) == 1);
        const auto& [votes, percent, seats] = official.at(p.id);
        CHECK(p.votes == votes);
        CHECK(format_basis_points(p.percent_basis_points) == percent);
        CHECK(p.seats == seats);
    }
    // Regions add up to the nation.
    std::int64_t regional = 0;
    for (const auto& r : report->regions)
        regional += r.party_list.options[0].votes;
    CHECK(regional == 3431510);
    CHECK(render_text(*report).find("53.90") != std::string::npos);
}
