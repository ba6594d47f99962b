#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <map>

#include "common/canonical_json.h"
#include "protocol/nist_json.h"
#include "tally/report_output.h"

namespace ballotbox::tally {

namespace json = boost::json;

namespace {

using protocol::nist_text;
using protocol::nist_vote_count;

json::object plain(const std::string& s) {
    return nist_text(election::multilingual_name{"", "", s});
}

std::string slug(const std::string& s) {
    std::string out;
    for (unsigned char c : s)
        out += (std::isalnum(c) && c < 0x80) ? static_cast<char>(std::tolower(c)) : '-';
    return out;
}

}  // namespace

result<std::string> render_nist(const tally_report& r, const election_index& election,
                                std::string_view generated_date) {
    const std::string nation = "gpu-nation";
    std::map<std::string, std::string> region_unit;
    json::array units;
    json::array region_ids;
    for (const auto& reg : r.regions) {
        region_unit[reg.name] = "gpu-region-" + slug(reg.name);
        region_ids.push_back(json::string(region_unit[reg.name]));
    }
    units.push_back(json::object{{"@type", "ElectionResults.ReportingUnit"},
                                 {"@id", nation},
                                 {"Type", "country"},
                                 {"Name", "Kazakhstan"},
                                 {"ComposingGpUnitIds", std::move(region_ids)}});
    // Precincts by region and district.
    std::map<std::string, json::array> precincts_of_region;
    std::map<int, json::array> precincts_of_district;
    for (const auto& c : r.counted) {
        const auto& d = c.document;
        const auto id = "gpu-station-" + d.station_id;
        const auto* pkg = election.find(d.station_id);
        precincts_of_region[pkg ? region_name(*pkg) : d.region].push_back(json::string(id));
        precincts_of_district[static_cast<int>(d.district_number)].push_back(json::string(id));
        units.push_back(json::object{{"@type", "ElectionResults.ReportingUnit"},
                                     {"@id", id},
                                     {"Type", "precinct"},
                                     {"Name", d.station_id},
                                     {"Number", std::to_string(d.station_number)},
                                     {"VotersRegistered", d.voters_on_list + d.voters_added}});
    }
    for (const auto& reg : r.regions)
        units.push_back(
            json::object{{"@type", "ElectionResults.ReportingUnit"},
                         {"@id", region_unit[reg.name]},
                         {"Type", "state"},
                         {"Name", reg.name},
                         {"ComposingGpUnitIds", std::move(precincts_of_region[reg.name])}});
    for (const auto& dist : r.districts)
        units.push_back(json::object{
            {"@type", "ElectionResults.ReportingUnit"},
            {"@id", "gpu-district-" + std::to_string(dist.number)},
            {"Type", "other"},
            {"OtherType", "single-member-district"},
            {"Name", dist.name.empty() ? "District " + std::to_string(dist.number) : dist.name},
            {"ComposingGpUnitIds", std::move(precincts_of_district[dist.number])}});

    json::array parties, candidates, contests;
    const auto& first = election.first();
    const auto* pl = election.party_list();
    if (pl && r.national_party_list) {
        json::array selections;
        auto selection = [&](const std::string& ref, std::int64_t order, std::int64_t national,
                             auto per_station, auto per_region) {
            json::array counts{nist_vote_count(national, nation)};
            for (const auto& reg : r.regions)
                counts.push_back(nist_vote_count(per_region(reg), region_unit[reg.name]));
            for (const auto& c : r.counted)
                if (const auto* b = protocol::find_ballot(c.document, pl->id))
                    counts.push_back(
                        nist_vote_count(per_station(*b), "gpu-station-" + c.document.station_id));
            selections.push_back(json::object{{"@type", "ElectionResults.PartySelection"},
                                              {"@id", "sel-" + ref},
                                              {"SequenceOrder", order},
                                              {"PartyIds", json::array{json::string(ref)}},
                                              {"VoteCounts", std::move(counts)}});
        };
        for (std::size_t i = 0; i < pl->options.size(); ++i) {
            const auto ref = pl->id + "-" + pl->options[i].id;
            parties.push_back(json::object{{"@type", "ElectionResults.Party"},
                                           {"@id", ref},
                                           {"Name", nist_text(pl->options[i].name)}});
            selection(
                ref, static_cast<std::int64_t>(i + 1), r.national_party_list->options[i].votes,
                [i](const protocol::ballot_figures& b) {
                    return i < b.options.size() ? b.options[i].votes : 0;
                },
                [i](const region_total& reg) { return reg.party_list.options[i].votes; });
        }
        if (pl->against_all) {
            const auto ref = pl->id + "-against-all";
            parties.push_back(json::object{
                {"@type", "ElectionResults.Party"}, {"@id", ref}, {"Name", plain("Against all")}});
            selection(
                ref, static_cast<std::int64_t>(pl->options.size() + 1),
                r.national_party_list->against_all,
                [](const protocol::ballot_figures& b) { return b.against_all; },
                [](const region_total& reg) { return reg.party_list.against_all; });
        }
        json::object contest{{"@type", "ElectionResults.PartyContest"},
                             {"@id", "contest-" + pl->id},
                             {"Name", pl->name.ru.empty() ? pl->id : pl->name.ru},
                             {"BallotTitle", nist_text(pl->name)},
                             {"ElectoralDistrictId", nation},
                             {"VoteVariation", "proportional"},
                             {"BallotSelection", std::move(selections)},
                             {"SummaryCounts", json::array{json::object{
                                                   {"@type", "ElectionResults.SummaryCounts"},
                                                   {"Type", "total"},
                                                   {"GpUnitId", nation},
                                                   {"BallotsCast", r.national_party_list->cast},
                                                   {"Undervotes", r.national_party_list->blank}}}}};
        if (r.seats)
            contest["NumberElected"] = r.seats->seats;
        contests.push_back(std::move(contest));
    }
    for (const auto& dist : r.districts) {
        const auto it = election.districts().find(dist.number);
        if (it == election.districts().end() || !it->second.ballot)
            continue;
        const auto* b = it->second.ballot;
        const auto unit = "gpu-district-" + std::to_string(dist.number);
        json::array selections;
        for (std::size_t i = 0; i < b->options.size(); ++i) {
            const auto ref = b->id + "-" + b->options[i].id;
            json::object cand{{"@type", "ElectionResults.Candidate"},
                              {"@id", ref},
                              {"BallotName", nist_text(b->options[i].name)}};
            candidates.push_back(std::move(cand));
            selections.push_back(json::object{
                {"@type", "ElectionResults.CandidateSelection"},
                {"@id", "sel-" + ref},
                {"SequenceOrder", static_cast<std::int64_t>(i + 1)},
                {"CandidateIds", json::array{json::string(ref)}},
                {"VoteCounts", json::array{nist_vote_count(dist.totals.options[i].votes, unit)}}});
        }
        if (b->against_all) {
            const auto ref = b->id + "-against-all";
            candidates.push_back(json::object{{"@type", "ElectionResults.Candidate"},
                                              {"@id", ref},
                                              {"BallotName", plain("Against all")}});
            selections.push_back(json::object{
                {"@type", "ElectionResults.CandidateSelection"},
                {"@id", "sel-" + ref},
                {"SequenceOrder", static_cast<std::int64_t>(b->options.size() + 1)},
                {"CandidateIds", json::array{json::string(ref)}},
                {"VoteCounts", json::array{nist_vote_count(dist.totals.against_all, unit)}}});
        }
        contests.push_back(json::object{
            {"@type", "ElectionResults.CandidateContest"},
            {"@id", "contest-" + b->id},
            {"Name", b->name.ru.empty() ? b->id : b->name.ru},
            {"BallotTitle", nist_text(b->name)},
            {"ElectoralDistrictId", unit},
            {"VoteVariation", "plurality"},
            {"VotesAllowed", 1},
            {"NumberElected", 1},
            {"BallotSelection", std::move(selections)},
            {"SummaryCounts", json::array{json::object{{"@type", "ElectionResults.SummaryCounts"},
                                                       {"Type", "total"},
                                                       {"GpUnitId", unit},
                                                       {"BallotsCast", dist.totals.cast},
                                                       {"Undervotes", dist.totals.blank}}}}});
    }
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02u-%02u", first.poll_date.year, first.poll_date.month,
                  first.poll_date.day);
    json::object el{{"@type", "ElectionResults.Election"},
                    {"ElectionScopeId", nation},
                    {"Name", nist_text(first.election_name)},
                    {"StartDate", date},
                    {"EndDate", date},
                    {"Type", "general"},
                    {"Contest", std::move(contests)}};
    if (!candidates.empty())
        el["Candidate"] = std::move(candidates);
    const bool complete = r.missing.empty() && r.conflicts.empty();
    json::object report{{"@type", "ElectionResults.ElectionReport"},
                        {"Format", "precinct-level"},
                        {"GeneratedDate", generated_date},
                        {"Issuer", "ballotbox tally"},
                        {"IssuerAbbreviation", "ballotbox"},
                        {"IsTest", r.training},
                        {"SequenceStart", 1},
                        {"SequenceEnd", 1},
                        {"Status", complete ? "unofficial-complete" : "unofficial-partial"},
                        {"VendorApplicationId", "ballotbox-tally 0.1.0"},
                        {"GpUnit", std::move(units)},
                        {"Party", std::move(parties)},
                        {"Election", json::array{std::move(el)}}};
    if (r.training)
        report["TestType"] = "training";
    auto out = canonical_json(report);
    if (!out)
        return make_error("tally.bad_value", out.err().message);
    return std::move(*out) + "\n";
}

}  // namespace ballotbox::tally
