#include "protocol/nist_report.h"

#include <boost/json.hpp>

#include "protocol/nist_json.h"

namespace ballotbox::protocol {
namespace json = boost::json;
namespace {

const election::multilingual_name against_all_name{"Барлығына қарсы", "Против всех", "Against all"};

json::array counts(std::int64_t n, const std::string& unit) {
    return json::array{nist_vote_count(n, unit)};
}

std::string_view status_for(report_kind k) {
    switch (k) {
        case report_kind::zero:
            return "pre-election";
        case report_kind::turnout:
            return "unofficial-partial";
        case report_kind::result:
            return "unofficial-complete";
    }
    return "unofficial-complete";
}

std::string date_of(const election::local_date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
    return buf;
}

}  // namespace

result<json::value> make_nist_report(const protocol_document& doc,
                                     const election::election_package& pk,
                                     std::string_view generated_date) {
    if (doc.ballots.size() != pk.ballots.size())
        return make_error("protocol.package_mismatch",
                          "The protocol's ballots are not the election package's.");
    const std::string unit = "gpu-station-" + doc.station_id;
    json::array parties, candidates, contests;
    for (std::size_t i = 0; i < pk.ballots.size(); ++i) {
        const auto& eb = pk.ballots[i];
        const auto& fig = doc.ballots[i];
        if (fig.id != eb.id || fig.options.size() != eb.options.size())
            return make_error(
                "protocol.package_mismatch",
                "The protocol's ballot \"" + fig.id + "\" is not the package's \"" + eb.id + "\".");
        bool party = eb.kind == election::ballot_kind::party_list;
        json::array selections;
        auto add_selection = [&](const std::string& option_id,
                                 const election::multilingual_name& name,
                                 const election::multilingual_name& nominated_by,
                                 std::int64_t votes, std::size_t order) {
            auto ref = eb.id + "-" + option_id;
            json::object sel{{"@id", "sel-" + ref},
                             {"SequenceOrder", order},
                             {"VoteCounts", counts(votes, unit)}};
            if (party) {
                parties.push_back(json::object{
                    {"@type", "ElectionResults.Party"}, {"@id", ref}, {"Name", nist_text(name)}});
                sel["@type"] = "ElectionResults.PartySelection";
                sel["PartyIds"] = json::array{ref};
            } else {
                json::object c{{"@type", "ElectionResults.Candidate"},
                               {"@id", ref},
                               {"BallotName", nist_text(name)}};
                if (!nominated_by.kk.empty() || !nominated_by.ru.empty()) {
                    // The nominating party, as a Party of its own keyed by the candidate.
                    auto pid = ref + "-nominated-by";
                    parties.push_back(json::object{{"@type", "ElectionResults.Party"},
                                                   {"@id", pid},
                                                   {"Name", nist_text(nominated_by)}});
                    c["PartyId"] = pid;
                }
                candidates.push_back(std::move(c));
                sel["@type"] = "ElectionResults.CandidateSelection";
                sel["CandidateIds"] = json::array{ref};
            }
            selections.push_back(std::move(sel));
        };
        for (std::size_t o = 0; o < eb.options.size(); ++o) {
            if (fig.options[o].id != eb.options[o].id)
                return make_error("protocol.package_mismatch", "Option " + std::to_string(o + 1) +
                                                                   " of \"" + eb.id +
                                                                   "\" is not the package's.");
            add_selection(eb.options[o].id, eb.options[o].name, eb.options[o].nominated_by,
                          fig.options[o].votes, o + 1);
        }
        if (eb.against_all)
            add_selection("against-all", against_all_name, {}, fig.against_all,
                          eb.options.size() + 1);
        json::object contest{
            {"@id", "contest-" + eb.id},
            {"Name", eb.name.ru.empty() ? eb.id : eb.name.ru},
            {"BallotTitle", nist_text(eb.name)},
            {"ElectoralDistrictId", unit},
            {"SequenceOrder", i + 1},
            {"BallotSelection", std::move(selections)},
            {"SummaryCounts",
             json::array{json::object{{"@type", "ElectionResults.SummaryCounts"},
                                      {"Type", "total"},
                                      {"GpUnitId", unit},
                                      {"BallotsCast", fig.cast_station + fig.cast_portable},
                                      {"BallotsOutstanding", fig.not_returned},
                                      {"Undervotes", fig.blank}}}}};
        if (party) {
            contest["@type"] = "ElectionResults.PartyContest";
            contest["VoteVariation"] = "proportional";
        } else {
            contest["@type"] = "ElectionResults.CandidateContest";
            contest["VotesAllowed"] = 1;
            contest["NumberElected"] = 1;
            contest["VoteVariation"] = "plurality";
        }
        contests.push_back(std::move(contest));
    }
    std::int64_t participated = 0;
    for (const auto& b : doc.ballots)
        participated = std::max(participated, b.took_part);
    json::object station{{"@type", "ElectionResults.ReportingUnit"},
                         {"@id", unit},
                         {"Type", "precinct"},
                         {"Name", pk.station_name.ru.empty() ? doc.station_id : pk.station_name.ru},
                         {"Number", std::to_string(doc.station_number)},
                         {"VotersRegistered", doc.voters_on_list + doc.voters_added},
                         {"VotersParticipated", participated},
                         {"ExternalIdentifier",
                          json::array{json::object{{"@type", "ElectionResults.ExternalIdentifier"},
                                                   {"Type", "local-level"},
                                                   {"Value", doc.station_id}}}}};
    auto date = date_of(pk.poll_date);
    json::object election{{"@type", "ElectionResults.Election"},
                          {"ElectionScopeId", unit},
                          {"Name", nist_text(pk.election_name)},
                          {"StartDate", date},
                          {"EndDate", date},
                          {"Type", "general"},
                          {"ExternalIdentifier",
                           json::array{json::object{{"@type", "ElectionResults.ExternalIdentifier"},
                                                    {"Type", "other"},
                                                    {"OtherType", "ballotbox-election-id"},
                                                    {"Value", doc.election_id}}}}};
    if (!candidates.empty())
        election["Candidate"] = std::move(candidates);
    election["Contest"] = std::move(contests);
    json::object report{
        {"@type", "ElectionResults.ElectionReport"},
        {"Format", "precinct-level"},
        {"GeneratedDate", generated_date},
        {"Issuer", pk.station_name.ru.empty() ? doc.station_id : pk.station_name.ru},
        {"IssuerAbbreviation", doc.station_id},
        {"IsTest", doc.training},
        {"SequenceStart", 1},
        {"SequenceEnd", 1},
        {"Status", status_for(doc.kind)},
        {"VendorApplicationId", "ballotbox 0.1.0"},
        {"GpUnit", json::array{std::move(station)}},
        {"Election", json::array{std::move(election)}}};
    if (!parties.empty())
        report["Party"] = std::move(parties);
    if (doc.training)
        report["TestType"] = "training";
    return json::value(std::move(report));
}

}  // namespace ballotbox::protocol
