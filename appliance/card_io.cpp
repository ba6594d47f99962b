#include "appliance/card_io.h"

#include "cardio/card_codec.h"
#include "cardio/card_write_plan.h"
#include "cardio/iso7816.h"

namespace ballotbox::appliance {
namespace {
constexpr std::size_t write_chunk_size = 128;  // fits every short-APDU card

// Passes every exchange through and remembers whether any answer arrived.
class answer_watch final : public cardio::card_transport {
  public:
    explicit answer_watch(cardio::card_transport& inner) : inner_(inner) {}
    result<bytes> transmit(byte_view command_apdu) override {
        auto answer = inner_.transmit(command_apdu);
        if (answer.ok())
            answered_ = true;
        return answer;
    }
    bool answered() const { return answered_; }

  private:
    cardio::card_transport& inner_;
    bool answered_ = false;
};
}  // namespace

result<card_contents> read_card(cardio::card_transport& transport) {
    cardio::iso7816_card card(transport);
    BALLOTBOX_TRY(card.select_ef(cardio::card_record_file_id));
    BALLOTBOX_ASSIGN_OR_RETURN(auto image, card.read_binary(0, cardio::max_card_record_size));
    auto record = cardio::parse_card_image(image);
    return card_contents{std::move(image), std::move(record)};
}

status probe_card(cardio::card_transport& transport) {
    answer_watch watch(transport);
    cardio::iso7816_card card(watch);
    auto selected = card.select_ef(cardio::card_record_file_id);
    if (selected.ok() || watch.answered())
        return ok_status();
    return selected;
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
