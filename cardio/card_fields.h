// The rules every field of the ballot-card record must follow, shared by the encoder, the
// parser and the MAC, and the canonical bytes of the issued part (docs/card-format.md).
//
// Each check returns the specific "card.<reason>" error the parser reports for a field that
// breaks the rule. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cardio/card_record.h"
#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardio {

// 1..max_station_id_length characters, each of [0-9A-Za-z._/-] (card.bad_station_id).
status check_station_id(std::string_view station_id);

// 1..max_races races, race indices < max_races in strictly ascending order, each with an
// option count of at least 1 (card.bad_style).
status check_style(const std::vector<race_slot>& style);
error bad_style(const std::string& why);

// One choice per race of the style (card.choice_count_mismatch); a known kind with option 0
// unless it is an option (card.bad_choice); an option index below the race's option count
// (card.choice_out_of_range).
status check_choices(const std::vector<race_slot>& style,
                     const std::vector<ballot_choice>& choices);

// check_station_id and check_style together.
status check_issue_data(const issue_data& issue);

// Appends the issued part in its record encoding: election id (32), station id length (1),
// station id, race count (1), (race, option count) per race, token (16). This is what the
// appliance's MAC covers (after its domain string).
void encode_issue_data(bytes& out, const issue_data& issue);

}  // namespace ballotbox::cardio
