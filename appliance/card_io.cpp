#include "appliance/card_io.h"

#include "cardio/card_codec.h"
#include "cardio/card_write_plan.h"
#include "cardio/iso7816.h"

namespace ballotbox::appliance {
namespace {
constexpr std::size_t write_chunk_size = 128;  // fits every short-APDU card
}

result<card_contents> read_card(cardio::card_transport& transport) {
    cardio::iso7816_card card(transport);
    BALLOTBOX_TRY(card.select_ef(cardio::card_record_file_id));
    BALLOTBOX_ASSIGN_OR_RETURN(auto image, card.read_binary(0, cardio::max_card_record_size));
    auto record = cardio::parse_card_image(image);
    return card_contents{std::move(image), std::move(record)};
}

status write_card(cardio::card_transport& transport, byte_view old_image,
                  const cardio::card_record& record) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto encoded, cardio::encode_card_record(record));
    BALLOTBOX_ASSIGN_OR_RETURN(auto plan, cardio::plan_write(old_image, encoded, write_chunk_size));
    cardio::iso7816_card card(transport);
    BALLOTBOX_TRY(card.select_ef(cardio::card_record_file_id));
    for (const auto& chunk : plan)
        BALLOTBOX_TRY(card.update_binary(chunk.offset, chunk.data));
    return ok_status();
}

}  // namespace ballotbox::appliance
