#include "tally/tally_report.h"

#include <algorithm>
#include <map>

#include "common/parallel_for.h"
#include "tally/percent.h"
#include "tally/read_file.h"

namespace ballotbox::tally {

namespace {

std::string option_name(const election::ballot_option& o) {
    return o.name.en.empty() ? o.name.ru : o.name.en;
}

contest_total empty_contest(const election::ballot& b) {
    contest_total c;
    c.ballot_id = b.id;
    for (const auto& o : b.options)
        c.options.push_back(option_total{o.id, option_name(o), 0, 0});
    return c;
}

void add(contest_total& c, const protocol::ballot_figures& b, std::int64_t voters) {
    for (std::size_t i = 0; i < c.options.size() && i < b.options.size(); ++i)
        c.options[i].votes += b.options[i].votes;
    c.against_all += b.against_all;
    c.blank += b.blank;
    c.cast += b.cast_station + b.cast_portable;
    c.took_part += b.took_part;
    c.voters += voters;
    ++c.stations_counted;
}

void finish(contest_total& c) {
    c.valid = c.against_all;
    for (const auto& o : c.options)
        c.valid += o.votes;
    for (auto& o : c.options)
        o.percent_basis_points = percent_basis_points(o.votes, c.valid).value_or(0);
    c.against_all_basis_points = percent_basis_points(c.against_all, c.valid).value_or(0);
    c.turnout_basis_points = percent_basis_points(c.took_part, c.voters).value_or(0);
}

}  // namespace

std::vector<arrival> verify_all(const std::vector<std::filesystem::path>& dirs,
                                const verify_context& context, unsigned threads) {
    std::vector<std::optional<arrival>> slots(dirs.size());
    parallel_for(dirs.size(), threads, [&](std::size_t i) {
        auto outcome = verify_export(dirs[i], context);
        // A rejected file still names its station when its JSON can be read, so the
        // missing-stations list can say "rejected" rather than "not received".
        std::string station;
        if (outcome) {
            station = outcome->document.station_id;
        } else if (auto text = read_bounded_file(dirs[i] / "protocol.json",
                                                 protocol::max_protocol_json_bytes)) {
            station = station_named_in(*text);
        }
        slots[i].emplace(arrival{dirs[i], std::move(station), std::move(outcome)});
    });
    std::vector<arrival> out;
    out.reserve(dirs.size());
    for (auto& s : slots)
        out.push_back(std::move(*s));
    return out;
}

result<tally_report> make_tally(const election_index& election, std::vector<arrival> arrivals) {
    tally_report r;
    r.election_id = election.election_id();
    r.training = election.first().training;
    r.stations_expected = static_cast<std::int64_t>(election.packages().size());

    // Group the valid ones by station; keep rejections.
    std::map<std::string, std::vector<accepted_protocol>> by_station;
    std::map<std::string, bool> had_rejection;
    for (auto& a : arrivals) {
        if (!a.outcome) {
            r.rejected.push_back(rejection{a.source, a.station_id, a.outcome.err()});
            if (!a.station_id.empty())
                had_rejection[a.station_id] = true;
            continue;
        }
        auto doc = std::move(a.outcome).value();
        by_station[doc.document.station_id].push_back(std::move(doc));
    }
    std::map<std::string, std::string> not_counted_reason;
    for (auto& [station, list] : by_station) {
        std::vector<accepted_protocol> distinct;
        for (auto& p : list) {
            bool seen = false;
            for (const auto& d : distinct)
                seen = seen || d.bytes_sha256 == p.bytes_sha256;
            if (!seen)
                distinct.push_back(std::move(p));
        }
        if (distinct.size() > 1) {
            station_sources c{station, {}};
            for (const auto& d : distinct)
                c.sources.push_back(d.source);
            r.conflicts.push_back(std::move(c));
            not_counted_reason[station] = "conflict";
            continue;
        }
        if (list.size() > 1) {
            station_sources d{station, {}};
            for (const auto& p : list)
                d.sources.push_back(p.source);
            r.duplicates.push_back(std::move(d));
        }
        r.counted.push_back(std::move(distinct.front()));
    }
    // by_station is ordered: counted is by station id.
    std::map<std::string, const accepted_protocol*> counted_by_station;
    for (const auto& c : r.counted)
        counted_by_station[c.document.station_id] = &c;

    const auto* party_list = election.party_list();
    if (party_list)
        r.national_party_list = empty_contest(*party_list);
    std::map<std::string, std::size_t> region_index;
    for (const auto& name : election.regions()) {
        region_index[name] = r.regions.size();
        region_total rt;
        rt.name = name;
        if (party_list)
            rt.party_list = empty_contest(*party_list);
        r.regions.push_back(std::move(rt));
    }
    std::map<int, std::size_t> district_index;
    for (const auto& [number, info] : election.districts()) {
        district_index[number] = r.districts.size();
        district_total dt;
        dt.number = number;
        dt.region = info.region;
        dt.name = info.name;
        if (info.ballot)
            dt.totals = empty_contest(*info.ballot);
        r.districts.push_back(std::move(dt));
    }

    for (const auto& pkg : election.packages()) {
        r.voters_on_lists += pkg.voters_on_list;
        const auto region = region_name(pkg);
        auto& rt = r.regions[region_index[region]];
        ++rt.stations_expected;
        auto it = counted_by_station.find(pkg.station_id);
        if (it == counted_by_station.end()) {
            auto reason = not_counted_reason.count(pkg.station_id)
                              ? not_counted_reason[pkg.station_id]
                          : had_rejection.count(pkg.station_id) ? std::string("rejected")
                                                                : std::string("not received");
            r.missing.push_back(missing_station{pkg.station_id, region, pkg.district_number,
                                                pkg.voters_on_list, std::move(reason)});
            r.missing_voters_on_lists += pkg.voters_on_list;
            continue;
        }
        const auto& doc = it->second->document;
        const auto voters = doc.voters_on_list + doc.voters_added;
        if (party_list) {
            if (const auto* b = protocol::find_ballot(doc, party_list->id)) {
                add(*r.national_party_list, *b, voters);
                add(rt.party_list, *b, voters);
            }
        }
        auto& dt = r.districts[district_index[pkg.district_number]];
        if (!dt.totals.ballot_id.empty())
            if (const auto* b = protocol::find_ballot(doc, dt.totals.ballot_id))
                add(dt.totals, *b, voters);
    }
    r.missing_share_basis_points =
        percent_basis_points(r.missing_voters_on_lists, r.voters_on_lists).value_or(0);

    if (r.national_party_list)
        finish(*r.national_party_list);
    for (auto& rt : r.regions)
        finish(rt.party_list);
    for (auto& dt : r.districts) {
        finish(dt.totals);
        std::int64_t best = 0;
        for (const auto& o : dt.totals.options) {
            if (o.votes > best) {
                best = o.votes;
                dt.leaders = {o.id};
            } else if (o.votes == best && best > 0) {
                dt.leaders.push_back(o.id);
            }
        }
        dt.against_all_exceeds_leader = !dt.leaders.empty() && dt.totals.against_all > best;
    }
    if (party_list && election.seat_rules()) {
        std::vector<party_votes> votes;
        for (const auto& o : r.national_party_list->options)
            votes.push_back(party_votes{o.id, o.votes});
        BALLOTBOX_ASSIGN_OR_RETURN(
            auto seats,
            allocate_seats(votes, r.national_party_list->against_all, *election.seat_rules()));
        r.seats = std::move(seats);
    }
    return r;
}

}  // namespace ballotbox::tally
