// vote_shares: how the demo's simulated voters choose, drawn from a seeded random source so
// that the same seed gives the same ballots.
//
// Party list: the 2023 Mäjilis national party-list result (Central Election Commission,
// as copied in the project's shared reference figures kz-2023-majilis/national-party-list.csv
// and its README): Amanat 3,431,510; Auyl 693,938; Respublica 547,154; Aq Jol 535,139;
// QHP 432,920; JSDP 331,058; Baytaq 146,431; against all 248,291; invalid/blank 158,046
// (6,524,487 took part). Weights are those vote counts, mapped to the package's ballot order
// by option id.
//
// District No. 1 (Astana): Däulet Turlyhanov 47.03 %, Täñirbergen Berdoñğarov 11.20 %
// (official, district-01-astana.csv); the remaining 41.77 % is spread evenly over the
// numbered candidates, "against all" and blank (the reference has no figures for them).
// Weights are in basis points.
//
// Pure functions over a caller-owned seeded_random; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cardio/card_record.h"
#include "crypto/random.h"

namespace ballotbox::demo {

// Weights for option 0..n-1 in ballot order, then against all, then blank.
struct race_weights {
    std::vector<std::uint64_t> weights;
};

// The party-list race (7 options, ids in the 2023 ballot order of the template) and the
// district race (option_count options: 0 Turlyhanov, 1 Berdoñğarov, the rest numbered).
race_weights party_list_weights();
race_weights district_weights(std::uint8_t option_count);

// Weights for a race on the card: race 0 the party list, race 1 the district; any other
// (not in the 2023 package) uniform.
race_weights weights_for(const cardio::race_slot& slot);

cardio::ballot_choice draw(crypto::seeded_random& random, const race_weights& w);

std::string describe(const cardio::ballot_choice& c);

}  // namespace ballotbox::demo
