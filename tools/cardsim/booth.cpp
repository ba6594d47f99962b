#include "tools/cardsim/booth.h"

#include <charconv>

#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_write_plan.h"
#include "cardio/iso7816.h"
#include "common/bytes.h"

namespace ballotbox::cardsim {
namespace {
constexpr std::size_t booth_write_chunk = 128;  // fits every short-APDU card
}

result<cardio::ballot_choice> parse_choice(std::string_view text) {
    if (text == "against-all")
        return cardio::ballot_choice::against_all();
    if (text == "blank")
        return cardio::ballot_choice::left_blank();
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [at, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || at != end || value > 254)
        return make_error("cardsim.booth_bad_choice",
                          "a choice is an option number (0 for the first in ballot order), "
                          "against-all or blank, not '" +
                              std::string(text) + "'");
    return cardio::ballot_choice::for_option(static_cast<std::uint8_t>(value));
}

result<cardio::voted_card> mark_ballot(cardio::card_transport& card,
                                       const crypto::ed25519_private_key& booth_key,
                                       const booth_request& request) {
    cardio::iso7816_card iso(card);
    BALLOTBOX_TRY(iso.select_ef(cardio::card_record_file_id));
    auto header = iso.read_binary(0, cardio::card_header_size);
    BALLOTBOX_TRY(header);
    auto size = cardio::card_record_size(*header);
    BALLOTBOX_TRY(size);
    auto old_record = iso.read_binary(0, *size);
    BALLOTBOX_TRY(old_record);
    auto record = cardio::parse_card_record(*old_record);
    BALLOTBOX_TRY(record);
    if (std::holds_alternative<cardio::blank_card>(*record))
        return make_error("cardsim.booth_card_blank",
                          "this card was not activated: take it back to the registration table");
    if (std::holds_alternative<cardio::voted_card>(*record))
        return make_error("cardsim.booth_already_voted",
                          "this card already holds a vote: hand it in at the ballot box");
    const auto& issued = std::get<cardio::issued_card>(*record);
    if (issued.issue.election_id != request.election_id)
        return make_error("cardsim.booth_wrong_election",
                          "this card was activated for another election (" +
                              to_hex(issued.issue.election_id) + ")");
    if (issued.issue.station_id != request.station_id)
        return make_error("cardsim.booth_wrong_station", "this card was activated at station " +
                                                             issued.issue.station_id + ", not " +
                                                             request.station_id);
    const auto& style = issued.issue.style;
    if (request.choices.size() != style.size())
        return make_error("cardsim.booth_choice_count",
                          "this card carries " + std::to_string(style.size()) +
                              " ballot(s); give exactly one choice for each");
    for (std::size_t i = 0; i < style.size(); ++i) {
        const auto& c = request.choices[i];
        if (c.kind == cardio::choice_kind::option && c.option >= style[i].option_count)
            return make_error("cardsim.booth_choice_out_of_range",
                              "ballot " + std::to_string(i + 1) + " has " +
                                  std::to_string(style[i].option_count) + " options (0 to " +
                                  std::to_string(style[i].option_count - 1) + "), not " +
                                  std::to_string(c.option));
    }
    auto voted = cardio::sign_as_booth(booth_key, issued, request.choices);
    BALLOTBOX_TRY(voted);
    auto encoded = cardio::encode_card_record(*voted);
    BALLOTBOX_TRY(encoded);
    auto plan = cardio::plan_write(*old_record, *encoded, booth_write_chunk);
    BALLOTBOX_TRY(plan);
    for (const auto& chunk : *plan)
        BALLOTBOX_TRY(iso.update_binary(chunk.offset, chunk.data));
    auto back = iso.read_binary(0, encoded->size());
    BALLOTBOX_TRY(back);
    if (*back != *encoded)
        return make_error("cardsim.booth_readback_mismatch",
                          "the card did not keep the vote as written: mark the ballot again");
    return std::move(*voted);
}

}  // namespace ballotbox::cardsim
