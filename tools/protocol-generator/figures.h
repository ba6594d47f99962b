// figures: the per-station plan of the generator (internal to tools/protocol-generator).
// Every national total is split over the stations with split_exact(), so the station
// figures add up to the totals exactly. Pure apart from the seeded random stream.
#pragma once

#include <cstdint>
#include <vector>

#include "generator.h"

namespace ballotbox::generator::figures {

struct ballot {
    std::vector<std::int64_t> options;
    std::int64_t against_all = 0;
    std::int64_t blank = 0;
    std::int64_t cast_station = 0;
    std::int64_t cast_portable = 0;
};

struct station {
    std::size_t region = 0;  // index into options.regions
    int district = 0;        // 1..
    std::int64_t voters_on_list = 0;
    ballot party_list;
    ballot district_ballot;
};

struct election_plan {
    std::vector<station> stations;
    std::vector<int> candidates;                          // by district number (index 0 unused)
    std::vector<std::vector<std::string>> candidate_ids;  // by district number
};

// Errors: "generator.bad_options".
result<election_plan> plan(const generator_options& options);

}  // namespace ballotbox::generator::figures
