// booth: what the virtual ballot-marking terminal does with the voter's card — reads the
// appliance's activation over any card_transport (in cardsim: card_session, real PC/SC on
// the booth's reader), checks that it is an issued card for this election and station,
// records the voter's choices signed with the booth's Ed25519 key, and reads the card back.
//
// The write follows cardio's torn-write-safe order (card_write_plan.h). The booth does not
// check the appliance's MAC: it does not hold that key (the appliance checks it on cast).
//
// Errors: cardsim.booth_* below, or the card.* errors of cardio (card removed, card.torn_write
// for a card whose last write was torn, ...). A failure during the write leaves a card that
// the next read reports as torn, never a half-trusted record.
//
// Thread safety: free functions; the transport is borrowed for the call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cardio/card_record.h"
#include "cardio/card_transport.h"
#include "common/result.h"
#include "crypto/ed25519.h"

namespace ballotbox::cardsim {

struct booth_request {
    crypto::digest election_id{};                // the election package's hash
    std::string station_id;                      // this polling station
    std::vector<cardio::ballot_choice> choices;  // one per race on the card, in its order
};

// "N" (option index in ballot order, 0-based), "against-all" or "blank".
result<cardio::ballot_choice> parse_choice(std::string_view text);

// Reads, checks and marks the card; returns the voted record as written and read back.
result<cardio::voted_card> mark_ballot(cardio::card_transport& card,
                                       const crypto::ed25519_private_key& booth_key,
                                       const booth_request& request);

}  // namespace ballotbox::cardsim
