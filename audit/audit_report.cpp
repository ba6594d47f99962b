#include "audit/audit_report.h"

#include <sstream>

namespace ballotbox::audit {

std::string_view outcome_name(outcome o) {
    switch (o) {
        case outcome::verified:
            return "verified";
        case outcome::incomplete:
            return "incomplete";
        case outcome::tampered:
            return "tampered";
        default:
            return "unusable";
    }
}

int exit_code_of(outcome o) {
    switch (o) {
        case outcome::verified:
            return 0;
        case outcome::unusable:
            return 2;
        default:
            return 1;
    }
}

namespace {
std::string_view state_name(check_state s) {
    return s == check_state::passed ? "ok" : s == check_state::failed ? "FAILED" : "not run";
}
}  // namespace

std::string to_text(const check_line& c) {
    // Built by appending: "[" + std::string (std::string::insert at 0) trips g++ 12's bogus
    // -Wrestrict at -O3 (GCC bug 105651).
    std::string line = "[";
    line += state_name(c.state);
    line += "] ";
    line += c.title;
    if (!c.detail.empty()) {
        line += ": ";
        line += c.detail;
    }
    return line;
}

std::string to_text(const audit_report& r) {
    std::ostringstream out;
    if (r.training)
        out << "TRAINING ledger (not an election result)\n";
    for (const auto& c : r.checks)
        out << to_text(c) << "\n";
    const auto& n = r.counts;
    out << "\nFigures: " << n.entries << " entries, " << n.checkpoints << " checkpoints ("
        << n.checkpoint_signatures_verified << " signatures verified), issued " << n.issued
        << ", cast " << n.cast << ", cancelled " << n.cancelled << ", outstanding " << n.outstanding
        << ", refused cards " << n.rejected_cards << ", turnout reports " << n.turnout_reports
        << ", ballots in box " << n.ballots_in_box << ", booth signatures verified "
        << n.booth_signatures_verified << ", issue MACs verified " << n.issue_macs_verified << "\n";
    for (const auto& t : r.tally) {
        out << "Ballot " << t.ballot_id << ": issued " << t.issued << ", cast " << t.cast
            << ", cancelled " << t.cancelled << ";";
        for (const auto& [id, votes] : t.options)
            out << " " << id << " " << votes << ";";
        out << " against all " << t.against_all << "; blank " << t.blank << "\n";
    }
    out << "\nResult: " << outcome_name(r.result);
    if (r.first_failure) {
        const auto& f = *r.first_failure;
        out << " — first failure in check \"" << f.check << "\" at " << f.place << ": "
            << f.message;
        if (!f.expected.empty() || !f.found.empty())
            out << " (expected " << f.expected << ", found " << f.found << ")";
    }
    out << "\n";
    return out.str();
}

boost::json::object to_json(const audit_report& r) {
    boost::json::object o;
    o["outcome"] = outcome_name(r.result);
    o["exit_code"] = r.exit_code();
    o["training"] = r.training;
    o["election_id"] = r.election_id;
    o["station_id"] = r.station_id;
    boost::json::array checks;
    for (const auto& c : r.checks)
        checks.push_back({{"id", c.id},
                          {"title", c.title},
                          {"state", state_name(c.state)},
                          {"detail", c.detail}});
    o["checks"] = std::move(checks);
    if (r.first_failure) {
        const auto& f = *r.first_failure;
        boost::json::object fo{{"check", f.check}, {"code", f.code},         {"message", f.message},
                               {"place", f.place}, {"expected", f.expected}, {"found", f.found}};
        if (f.seq)
            fo["seq"] = *f.seq;
        o["failure"] = std::move(fo);
    }
    const auto& n = r.counts;
    o["figures"] = {{"entries", n.entries},
                    {"checkpoints", n.checkpoints},
                    {"checkpoint_signatures_verified", n.checkpoint_signatures_verified},
                    {"issued", n.issued},
                    {"cast", n.cast},
                    {"cancelled", n.cancelled},
                    {"outstanding", n.outstanding},
                    {"rejected_cards", n.rejected_cards},
                    {"turnout_reports", n.turnout_reports},
                    {"ballots_in_box", n.ballots_in_box},
                    {"booth_signatures_verified", n.booth_signatures_verified},
                    {"issue_macs_verified", n.issue_macs_verified}};
    boost::json::array tally;
    for (const auto& t : r.tally) {
        boost::json::array options;
        for (const auto& [id, votes] : t.options)
            options.push_back({{"id", id}, {"votes", votes}});
        tally.push_back({{"id", t.ballot_id},
                         {"issued", t.issued},
                         {"cast", t.cast},
                         {"cancelled", t.cancelled},
                         {"options", std::move(options)},
                         {"against_all", t.against_all},
                         {"blank", t.blank}});
    }
    o["tally"] = std::move(tally);
    return o;
}

}  // namespace ballotbox::audit
