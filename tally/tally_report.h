// tally_report: the verified protocols added up per single-member district, per region and
// nationally, with the party-list seats (docs/tally.md).
//
// verify_all() verifies export directories on `threads` threads (verify_export) and returns
// one arrival per directory, in the order given. make_tally() then:
//  - counts each station at most once: the same protocol bytes twice count once (listed as
//    duplicates); two different valid protocols for one station are a conflict, listed with
//    both sources, and NEITHER is counted for that station;
//  - lists every rejected directory with its reason, and every station of the election whose
//    protocol is not counted (not received, rejected or in conflict) with the voters on its
//    list and their share of all voters on the lists;
//  - sums the party-list ballot per region and nationally, each single-member district ballot
//    per district with its first-past-the-post leader (a tie names every tied candidate);
//  - allocates the party-list seats by the package's seat rules (seat_allocation.h).
// Percentages are of the valid votes including "against all", two decimals, half up.
//
// Plain values and pure functions apart from verify_all's file reads; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tally/election_index.h"
#include "tally/seat_allocation.h"
#include "tally/verify_export.h"

namespace ballotbox::tally {

struct arrival {
    std::filesystem::path source;
    std::string station_id;  // as named in the file, "" if unreadable
    result<accepted_protocol> outcome;
};

std::vector<arrival> verify_all(const std::vector<std::filesystem::path>& dirs,
                                const verify_context& context, unsigned threads);

struct option_total {
    std::string id;
    std::string name;  // en, else ru
    std::int64_t votes = 0;
    std::int64_t percent_basis_points = 0;  // of valid = options + against all
};

struct contest_total {
    std::string ballot_id;
    std::vector<option_total> options;  // ballot order
    std::int64_t against_all = 0;
    std::int64_t against_all_basis_points = 0;
    std::int64_t blank = 0;
    std::int64_t valid = 0;  // options + against all
    std::int64_t cast = 0;
    std::int64_t took_part = 0;
    std::int64_t voters = 0;  // on the lists + added, of the counted stations
    std::int64_t turnout_basis_points = 0;
    std::int64_t stations_counted = 0;
};

struct district_total {
    int number = 0;
    std::string region;
    std::string name;
    contest_total totals;
    std::vector<std::string> leaders;  // one = the winner; several = a tie; none = no votes
    bool against_all_exceeds_leader = false;
};

struct region_total {
    std::string name;
    contest_total party_list;
    std::int64_t stations_expected = 0;
};

struct rejection {
    std::filesystem::path source;
    std::string station_id;
    error why;
};

struct station_sources {
    std::string station_id;
    std::vector<std::filesystem::path> sources;
};

struct missing_station {
    std::string station_id;
    std::string region;
    int district = 0;
    std::int64_t voters_on_list = 0;
    std::string reason;  // "not received", "rejected", "conflict"
};

struct tally_report {
    std::string election_id;
    bool training = false;
    std::int64_t stations_expected = 0;
    std::vector<accepted_protocol> counted;  // one per counted station, by station id
    std::vector<rejection> rejected;
    std::vector<station_sources> conflicts;   // not counted
    std::vector<station_sources> duplicates;  // counted once
    std::vector<missing_station> missing;
    std::int64_t voters_on_lists = 0;          // all stations of the election (packages)
    std::int64_t missing_voters_on_lists = 0;  // of the missing ones
    std::int64_t missing_share_basis_points = 0;
    std::optional<contest_total> national_party_list;
    std::vector<region_total> regions;
    std::vector<district_total> districts;
    std::optional<seat_allocation> seats;
};

// Errors: allocate_seats()'s (seat rules out of range).
result<tally_report> make_tally(const election_index& election, std::vector<arrival> arrivals);

}  // namespace ballotbox::tally
