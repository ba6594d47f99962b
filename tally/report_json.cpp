#include <boost/json.hpp>

#include "common/canonical_json.h"
#include "tally/percent.h"
#include "tally/report_output.h"

namespace ballotbox::tally {

namespace json = boost::json;

namespace {

json::object share(std::int64_t bp) {
    return json::object{{"basis_points", bp}, {"text", format_basis_points(bp)}};
}

json::object contest_json(const contest_total& c) {
    json::array options;
    for (const auto& o : c.options)
        options.push_back(json::object{{"id", o.id},
                                       {"name", o.name},
                                       {"votes", o.votes},
                                       {"percent", share(o.percent_basis_points)}});
    return json::object{{"ballot", c.ballot_id},
                        {"options", std::move(options)},
                        {"against_all", c.against_all},
                        {"against_all_percent", share(c.against_all_basis_points)},
                        {"valid", c.valid},
                        {"blank", c.blank},
                        {"cast", c.cast},
                        {"took_part", c.took_part},
                        {"voters", c.voters},
                        {"turnout", share(c.turnout_basis_points)},
                        {"stations_counted", c.stations_counted}};
}

json::array sources_json(const std::vector<station_sources>& list) {
    json::array out;
    for (const auto& s : list) {
        json::array paths;
        for (const auto& p : s.sources)
            paths.push_back(json::string(p.string()));
        out.push_back(json::object{{"station", s.station_id}, {"sources", std::move(paths)}});
    }
    return out;
}

}  // namespace

result<std::string> render_json(const tally_report& r) {
    json::object doc{{"format", "ballotbox/tally/1"},
                     {"election", r.election_id},
                     {"training", r.training},
                     {"stations_expected", r.stations_expected},
                     {"stations_counted", static_cast<std::int64_t>(r.counted.size())}};
    if (r.national_party_list)
        doc["party_list"] = contest_json(*r.national_party_list);
    if (r.seats) {
        json::array parties;
        for (const auto& p : r.seats->parties)
            parties.push_back(json::object{{"id", p.id},
                                           {"votes", p.votes},
                                           {"percent", share(p.percent_basis_points)},
                                           {"passed_threshold", p.passed_threshold},
                                           {"runner_up_rule", p.runner_up_rule},
                                           {"whole_seats", p.whole_seats},
                                           {"remainder", p.remainder},
                                           {"seats", p.seats},
                                           {"tied_for_last_seat", p.tied_for_last_seat}});
        json::array tied;
        for (const auto& t : r.seats->tied_parties)
            tied.push_back(json::string(t));
        doc["seats"] = json::object{{"status", allocation_status_name(r.seats->status)},
                                    {"seats", r.seats->seats},
                                    {"valid_votes", r.seats->valid_votes},
                                    {"quota_denominator_votes", r.seats->distribution_votes},
                                    {"unallocated_seats", r.seats->unallocated_seats},
                                    {"tied_parties", std::move(tied)},
                                    {"explanation", r.seats->explanation},
                                    {"parties", std::move(parties)}};
    }
    json::array regions;
    for (const auto& reg : r.regions)
        regions.push_back(json::object{{"name", reg.name},
                                       {"stations_expected", reg.stations_expected},
                                       {"party_list", contest_json(reg.party_list)}});
    doc["regions"] = std::move(regions);
    json::array districts;
    for (const auto& d : r.districts) {
        json::array leaders;
        for (const auto& l : d.leaders)
            leaders.push_back(json::string(l));
        districts.push_back(
            json::object{{"number", d.number},
                         {"region", d.region},
                         {"name", d.name},
                         {"totals", contest_json(d.totals)},
                         {"outcome", d.leaders.empty()       ? "no_votes"
                                     : d.leaders.size() == 1 ? "elected"
                                                             : "tie"},
                         {"leaders", std::move(leaders)},
                         {"against_all_exceeds_leader", d.against_all_exceeds_leader}});
    }
    doc["districts"] = std::move(districts);
    json::array rejected;
    for (const auto& x : r.rejected)
        rejected.push_back(json::object{{"source", x.source.string()},
                                        {"station", x.station_id},
                                        {"code", x.why.code},
                                        {"message", x.why.message}});
    doc["rejected"] = std::move(rejected);
    doc["conflicts"] = sources_json(r.conflicts);
    doc["duplicates"] = sources_json(r.duplicates);
    json::array missing;
    for (const auto& m : r.missing)
        missing.push_back(json::object{{"station", m.station_id},
                                       {"region", m.region},
                                       {"district", m.district},
                                       {"voters_on_list", m.voters_on_list},
                                       {"reason", m.reason}});
    doc["missing"] = json::object{{"stations", std::move(missing)},
                                  {"voters_on_lists", r.missing_voters_on_lists},
                                  {"share_of_all_voters", share(r.missing_share_basis_points)}};
    auto text = canonical_json(doc);
    if (!text)
        return make_error("tally.bad_value", text.err().message);
    return std::move(*text) + "\n";
}

}  // namespace ballotbox::tally
