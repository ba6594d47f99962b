#include <cstdio>

#include "tally/percent.h"
#include "tally/report_output.h"

namespace ballotbox::tally {

namespace {

std::string pad(std::string s, std::size_t width) {
    // Width in code points, so Cyrillic and Kazakh names line up.
    std::size_t cps = 0;
    for (unsigned char c : s)
        cps += (c & 0xC0) != 0x80;
    if (cps < width)
        s.append(width - cps, ' ');
    return s;
}

std::string num(std::int64_t n) {
    auto digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

std::string right(const std::string& s, std::size_t width) {
    return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

void contest_lines(std::string& out, const contest_total& c,
                   const std::vector<party_seats>* seats) {
    for (std::size_t i = 0; i < c.options.size(); ++i) {
        const auto& o = c.options[i];
        out += "  " + pad(o.name, 28) + right(num(o.votes), 12) +
               right(format_basis_points(o.percent_basis_points), 9) + " %";
        if (seats && i < seats->size()) {
            const auto& s = (*seats)[i];
            out += right(std::to_string(s.seats), 6) + " seats";
            if (s.tied_for_last_seat)
                out += "  (tied for the last seat)";
            else if (s.runner_up_rule)
                out += "  (runner-up rule)";
            else if (!s.passed_threshold)
                out += "  (below the threshold)";
        }
        out += '\n';
    }
    out += "  " + pad("Against all", 28) + right(num(c.against_all), 12) +
           right(format_basis_points(c.against_all_basis_points), 9) + " %\n";
    out += "  " + pad("Valid (incl. against all)", 28) + right(num(c.valid), 12) + "\n";
    out += "  " + pad("Blank / invalid", 28) + right(num(c.blank), 12) + "\n";
    out += "  " + pad("Took part", 28) + right(num(c.took_part), 12) +
           right(format_basis_points(c.turnout_basis_points), 9) + " % of " + num(c.voters) +
           " voters, " + num(c.stations_counted) + " stations\n";
}

}  // namespace

std::string render_text(const tally_report& r) {
    std::string out;
    out += "Tally of election " + r.election_id + (r.training ? " (TRAINING)" : "") + "\n";
    out += "Stations: " + num(r.stations_expected) + " in the election, " +
           num(static_cast<std::int64_t>(r.counted.size())) + " counted, " +
           num(static_cast<std::int64_t>(r.missing.size())) + " missing (" +
           format_basis_points(r.missing_share_basis_points) + " % of the voters on the lists), " +
           num(static_cast<std::int64_t>(r.rejected.size())) + " files rejected, " +
           num(static_cast<std::int64_t>(r.conflicts.size())) + " conflicts, " +
           num(static_cast<std::int64_t>(r.duplicates.size())) + " duplicates\n\n";
    if (r.national_party_list) {
        out += "PARTY LIST, NATIONAL\n";
        contest_lines(out, *r.national_party_list, r.seats ? &r.seats->parties : nullptr);
        if (r.seats)
            out += "  Seats: " + std::string(allocation_status_name(r.seats->status)) + ". " +
                   r.seats->explanation + "\n";
        out += '\n';
    }
    for (const auto& d : r.districts) {
        out += "DISTRICT " + std::to_string(d.number) + " (" + d.region + ")" +
               (d.name.empty() ? "" : ": " + d.name) + "\n";
        contest_lines(out, d.totals, nullptr);
        if (d.leaders.empty())
            out += "  No candidate has votes.\n";
        else if (d.leaders.size() == 1)
            out += "  Elected (first past the post): " + d.leaders.front() + "\n";
        else {
            out += "  TIE between";
            for (const auto& l : d.leaders)
                out += " " + l;
            out += ": not resolved by the tally.\n";
        }
        if (d.against_all_exceeds_leader)
            out += "  NOTE: \"against all\" has more votes than the leader.\n";
        out += '\n';
    }
    for (const auto& reg : r.regions) {
        out += "REGION " + reg.name + ": party list, " + num(reg.party_list.stations_counted) +
               " of " + num(reg.stations_expected) + " stations\n";
        contest_lines(out, reg.party_list, nullptr);
        out += '\n';
    }
    if (!r.rejected.empty()) {
        out += "REJECTED (not counted)\n";
        for (const auto& x : r.rejected)
            out += "  " + x.source.string() +
                   (x.station_id.empty() ? "" : " [" + x.station_id + "]") + ": " + x.why.code +
                   ": " + x.why.message + "\n";
        out += '\n';
    }
    if (!r.conflicts.empty()) {
        out += "CONFLICTS (two different valid protocols: neither counted for the station)\n";
        for (const auto& c : r.conflicts) {
            out += "  " + c.station_id + ":";
            for (const auto& s : c.sources)
                out += " " + s.string();
            out += '\n';
        }
        out += '\n';
    }
    if (!r.duplicates.empty()) {
        out += "DUPLICATES (the same protocol more than once: counted once)\n";
        for (const auto& c : r.duplicates) {
            out += "  " + c.station_id + ":";
            for (const auto& s : c.sources)
                out += " " + s.string();
            out += '\n';
        }
        out += '\n';
    }
    if (!r.missing.empty()) {
        out += "MISSING STATIONS (" + num(static_cast<std::int64_t>(r.missing.size())) + ", " +
               num(r.missing_voters_on_lists) +
               " voters on their lists = " + format_basis_points(r.missing_share_basis_points) +
               " % of all)\n";
        for (const auto& m : r.missing)
            out += "  " + m.station_id + " (" + m.region + ", district " +
                   std::to_string(m.district) + ", " + num(m.voters_on_list) +
                   " voters): " + m.reason + "\n";
    }
    return out;
}

}  // namespace ballotbox::tally
