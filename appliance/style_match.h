// style_match: which ballot style of the election package a card's races are, or why they
// are none. Used for the cards at the table and for the ballots of an imported portable box.
// A pure function of its arguments; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "appliance/refusal_reason.h"
#include "cardio/card_record.h"
#include "election/election_package.h"

namespace ballotbox::appliance {

// What the checks of a card's races against the package found.
struct card_check {
    std::optional<refusal_reason> refusal;
    std::string style_id;  // empty when no style matched
};

// The style of the card's races, or the refusal: style_unknown if the set of races is no
// style of the package, choice_out_of_range if a race's option count differs from the
// package's ballot (style_id then names the style the races are).
card_check match_style(const election::election_package& p,
                       const std::vector<cardio::race_slot>& slots);

}  // namespace ballotbox::appliance
