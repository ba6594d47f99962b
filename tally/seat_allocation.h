// Party-list seat allocation as the law sets it (docs/tally.md, "Seats"):
//
// 1. Threshold: a party passes when votes * 10000 >= threshold_basis_points * valid, where
//    valid = all party votes + "against all" (so exactly 5.00 % passes).
// 2. If exactly one party passes and runner_up_min_seats > 0, the party with the next largest
//    number of votes (votes > 0) joins the distribution; if it then has fewer than
//    runner_up_min_seats seats, it gets that many and the seats are taken from the leader.
//    Two parties equal for "next" are an unresolved tie (nothing is allocated).
// 3. Hare quota largest remainder among the parties in the distribution: with V their votes
//    and S the seats, party p first gets floor(votes_p * S / V); the seats left go one each
//    to the largest remainders (votes_p * S mod V, compared exactly: same denominator V).
//    Remainders equal at the cut are never broken silently: the parties above the cut get
//    their seats, the seats at the cut stay unallocated and the tied parties are named.
// 4. No party passing: status no_party_passed, no seats.
// All arithmetic is on 64-bit integers (votes < 2^40, seats <= 10000, checked), no floats.
//
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "election/election_package.h"

namespace ballotbox::tally {

struct party_votes {
    std::string id;
    std::int64_t votes = 0;
};

enum class allocation_status { complete, unresolved_tie, no_party_passed };
std::string_view allocation_status_name(allocation_status status);  // "complete", ...

struct party_seats {
    std::string id;
    std::int64_t votes = 0;
    std::int64_t percent_basis_points = 0;  // of valid votes incl. against all, half up
    bool passed_threshold = false;
    bool runner_up_rule = false;  // joined the distribution by the runner-up rule
    bool in_distribution = false;
    std::int64_t whole_seats = 0;  // floor(votes * S / V)
    std::int64_t remainder = 0;    // votes * S mod V (over V)
    std::int64_t seats = 0;        // final seats (excluding unresolved ones)
    bool tied_for_last_seat = false;
};

struct seat_allocation {
    allocation_status status = allocation_status::complete;
    std::int64_t valid_votes = 0;  // party votes + against all
    std::int64_t against_all = 0;
    std::int64_t distribution_votes = 0;    // V: votes of the parties in the distribution
    std::int64_t seats = 0;                 // S
    std::int64_t unallocated_seats = 0;     // seats left open by a tie
    std::vector<std::string> tied_parties;  // the parties tied for those seats
    std::string explanation;                // one sentence for the reader of the report
    std::vector<party_seats> parties;       // in the input (ballot) order
};

// Errors: "tally.bad_seat_rules" (seats out of 1..10000, threshold out of 0..10000,
// runner-up seats out of 0..seats), "tally.bad_votes" (a negative or too large figure).
result<seat_allocation> allocate_seats(const std::vector<party_votes>& parties,
                                       std::int64_t against_all, const election::seat_rules& rules);

}  // namespace ballotbox::tally
