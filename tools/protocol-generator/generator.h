// The protocol generator: a whole synthetic election for load tests of the tally.
//
// generate() writes, under out_dir:
//   commission.pub.pem          the (seeded) commission key that signed the packages
//   registry.txt                station id -> appliance key (docs/tally-registry.md)
//   packages/<station>.json     one signed election package per station (the real format)
//   exports/<station>/          protocol.json, protocol.json.sig, appliance.pub.pem,
//                               checkpoint.txt: the export format of the protocol contract
// Stations are spread over the regions in proportion to their single-member districts and
// evenly over the districts; every figure is split over the stations with seeded random
// weights so that the sums over all stations equal the given national totals EXACTLY
// (party-list votes per party, against all, blank, voters on the lists). The district
// ballots are synthetic (3 to 5 candidates per district). The same seed gives the same
// bytes. Keys are derived from the seed: never use generated data for anything real.
//
// Thread safety: generate() uses `threads` threads internally; call it from one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "election/election_package.h"

namespace ballotbox::generator {

struct region_districts {
    std::string name;
    int districts = 0;
};

struct party_total {
    std::string id;    // ballot option id, e.g. "amanat"
    std::string name;  // e.g. "Amanat"
    std::int64_t votes = 0;
};

struct generator_options {
    std::size_t stations = 10223;
    std::uint64_t seed = 1;
    std::string election_id = "kz-2023-majilis";
    std::vector<region_districts> regions;  // districts numbered 1.. in this order
    std::vector<party_total> parties;       // in ballot order
    std::int64_t against_all = 0;
    std::int64_t blank = 0;
    std::int64_t voters_on_lists = 0;  // >= all votes + blank
    election::seat_rules seat_rules{69, 500, 2};
    bool training = false;
    unsigned threads = 2;
    std::filesystem::path out_dir;
};

// The 2023 Mäjilis figures from ../shared/elections/kz-2023-majilis (parties.csv for the
// ballot order, national-party-list.csv for the votes, districts-per-region.csv, and the
// README's registered voters and blank ballots). Errors: "generator.bad_reference_data".
result<generator_options> kz_2023_options(const std::filesystem::path& reference_dir);

struct generated_election {
    std::filesystem::path commission_public_key;
    std::filesystem::path registry;
    std::filesystem::path packages_dir;
    std::filesystem::path exports_dir;
    std::vector<std::string> station_ids;
};

// Errors: "generator.bad_options" (no station, more stations than voters, totals that do not
// fit), "generator.write_failed", package signing errors.
result<generated_election> generate(const generator_options& options);

// The appliance key the generator gives a station (derived from the seed and the station id),
// so tests can sign protocols as that station's registered appliance would.
result<crypto::ed25519_private_key> appliance_key_for(std::uint64_t seed,
                                                      std::string_view station_id);

// Splits total over the weights (all > 0) so the parts add up to total exactly: each part is
// floor(total * w / W), and the few units left go to consecutive entries from `start`.
std::vector<std::int64_t> split_exact(std::int64_t total, const std::vector<std::int64_t>& weights,
                                      std::size_t start);

}  // namespace ballotbox::generator
