#include "tally/seat_allocation.h"

#include <algorithm>

#include "tally/percent.h"

namespace ballotbox::tally {

namespace {
constexpr std::int64_t max_votes = std::int64_t{1} << 40;

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i)
            out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
    }
    return out;
}

// Hare largest remainder over the parties marked in_distribution.
void distribute(seat_allocation& a) {
    const std::int64_t v = a.distribution_votes;
    std::int64_t given = 0;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < a.parties.size(); ++i) {
        auto& p = a.parties[i];
        if (!p.in_distribution)
            continue;
        // votes < 2^40, seats <= 10000 < 2^14: the product stays below 2^54.
        p.whole_seats = p.votes * a.seats / v;
        p.remainder = p.votes * a.seats % v;
        p.seats = p.whole_seats;
        given += p.whole_seats;
        order.push_back(i);
    }
    std::int64_t left = a.seats - given;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return a.parties[x].remainder > a.parties[y].remainder;
    });
    if (left <= 0 || order.empty())
        return;
    // left < number of parties in the distribution (the remainders sum to left * V).
    const std::int64_t cut = a.parties[order[static_cast<std::size_t>(left) - 1]].remainder;
    std::vector<std::size_t> at_cut;
    for (auto i : order) {
        auto& p = a.parties[i];
        if (p.remainder > cut) {
            ++p.seats;
            --left;
        } else if (p.remainder == cut) {
            at_cut.push_back(i);
        }
    }
    if (static_cast<std::int64_t>(at_cut.size()) == left) {
        for (auto i : at_cut)
            ++a.parties[i].seats;
        return;
    }
    a.status = allocation_status::unresolved_tie;
    a.unallocated_seats = left;
    for (auto i : at_cut) {
        a.parties[i].tied_for_last_seat = true;
        a.tied_parties.push_back(a.parties[i].id);
    }
}
}  // namespace

std::string_view allocation_status_name(allocation_status status) {
    switch (status) {
        case allocation_status::complete:
            return "complete";
        case allocation_status::unresolved_tie:
            return "unresolved_tie";
        case allocation_status::no_party_passed:
            return "no_party_passed";
    }
    return "complete";
}

result<seat_allocation> allocate_seats(const std::vector<party_votes>& parties,
                                       std::int64_t against_all,
                                       const election::seat_rules& rules) {
    if (rules.seats < 1 || rules.seats > 10000 || rules.threshold_basis_points < 0 ||
        rules.threshold_basis_points > 10000 || rules.runner_up_min_seats < 0 ||
        rules.runner_up_min_seats > rules.seats)
        return make_error("tally.bad_seat_rules",
                          "The package's seat rules are out of range (seats " +
                              std::to_string(rules.seats) + ", threshold " +
                              std::to_string(rules.threshold_basis_points) +
                              " basis points, runner-up seats " +
                              std::to_string(rules.runner_up_min_seats) + ").");
    seat_allocation a;
    a.seats = rules.seats;
    a.against_all = against_all;
    if (against_all < 0 || against_all >= max_votes)
        return make_error("tally.bad_votes", "The \"against all\" figure is out of range.");
    a.valid_votes = against_all;
    for (const auto& p : parties) {
        if (p.votes < 0 || p.votes >= max_votes)
            return make_error("tally.bad_votes", "The votes of \"" + p.id + "\" are out of range.");
        a.valid_votes += p.votes;
        if (a.valid_votes >= max_votes)
            return make_error("tally.bad_votes",
                              "The valid votes add up to more than the tally handles.");
        a.parties.push_back(party_seats{.id = p.id, .votes = p.votes});
    }
    std::vector<std::size_t> passed;
    for (std::size_t i = 0; i < a.parties.size(); ++i) {
        auto& p = a.parties[i];
        p.percent_basis_points = percent_basis_points(p.votes, a.valid_votes).value_or(0);
        p.passed_threshold = a.valid_votes > 0 && p.votes > 0 &&
                             p.votes * 10000 >= rules.threshold_basis_points * a.valid_votes;
        if (p.passed_threshold)
            passed.push_back(i);
    }
    if (passed.empty()) {
        a.status = allocation_status::no_party_passed;
        a.explanation = "No party reached the threshold: no party-list seat can be allocated.";
        return a;
    }
    std::size_t runner_up = a.parties.size();
    if (passed.size() == 1 && rules.runner_up_min_seats > 0) {
        std::int64_t best = 0;
        std::vector<std::size_t> tied;
        for (std::size_t i = 0; i < a.parties.size(); ++i) {
            if (i == passed[0] || a.parties[i].votes <= 0)
                continue;
            if (a.parties[i].votes > best) {
                best = a.parties[i].votes;
                tied = {i};
            } else if (a.parties[i].votes == best) {
                tied.push_back(i);
            }
        }
        if (tied.size() > 1) {
            a.status = allocation_status::unresolved_tie;
            a.unallocated_seats = a.seats;
            for (auto i : tied) {
                a.parties[i].tied_for_last_seat = true;
                a.tied_parties.push_back(a.parties[i].id);
            }
            a.explanation =
                "Only one party passed the threshold and " + join_names(a.tied_parties) +
                " have the same next largest vote: which one the runner-up rule applies to "
                "is unresolved, so no seat is allocated.";
            return a;
        }
        if (tied.size() == 1) {
            runner_up = tied[0];
            a.parties[runner_up].runner_up_rule = true;
        }
    }
    for (auto i : passed)
        a.parties[i].in_distribution = true;
    if (runner_up < a.parties.size())
        a.parties[runner_up].in_distribution = true;
    for (const auto& p : a.parties)
        if (p.in_distribution)
            a.distribution_votes += p.votes;
    distribute(a);
    if (runner_up < a.parties.size() && a.status == allocation_status::complete) {
        auto& r = a.parties[runner_up];
        auto& leader = a.parties[passed[0]];
        if (r.seats < rules.runner_up_min_seats) {
            leader.seats -= rules.runner_up_min_seats - r.seats;
            r.seats = rules.runner_up_min_seats;
        }
    }
    if (a.status == allocation_status::unresolved_tie) {
        a.explanation =
            std::to_string(a.unallocated_seats) +
            " seat(s) unresolved: " + join_names(a.tied_parties) +
            " have exactly equal remainders at the cut. The law's tie-break is for the commission "
            "to apply; the tally does not choose.";
    } else if (runner_up < a.parties.size()) {
        a.explanation = "Only one party passed the threshold; " + a.parties[runner_up].id +
                        " has the next largest vote and gets at least " +
                        std::to_string(rules.runner_up_min_seats) + " seats.";
    } else {
        a.explanation = std::to_string(passed.size()) + " parties passed the threshold; " +
                        std::to_string(a.seats) +
                        " seats allocated by the Hare quota and largest remainders.";
    }
    return a;
}

}  // namespace ballotbox::tally
