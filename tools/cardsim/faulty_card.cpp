#include "tools/cardsim/faulty_card.h"

#include <utility>

namespace ballotbox::cardsim {

faulty_card::faulty_card(file_system_card card, fault_plan plan)
    : card_(std::move(card)), plan_(plan) {}

void faulty_card::inserted() {
    commands_ = 0;
    written_ = 0;
    card_.reset();
}

card_reply faulty_card::on_command(byte_view apdu) {
    ++commands_;
    if (plan_.vanish_on_command && commands_ == *plan_.vanish_on_command) {
        card_.reset();
        return {card_reply::kind::vanish, {}};
    }
    if (plan_.tear_after_bytes) {
        if (auto n = card_.update_length(apdu)) {
            const std::size_t left =
                *plan_.tear_after_bytes > written_ ? *plan_.tear_after_bytes - written_ : 0;
            if (*n > left) {
                card_.tear_update(apdu, left);
                written_ += left;
                return {card_reply::kind::torn, {}};
            }
            if (plan_.tear_before_answer && *n == left && left > 0) {
                (void)card_.process(apdu);  // written in full; the answer is lost
                card_.reset();
                written_ += left;
                return {card_reply::kind::torn, {}};
            }
            written_ += *n;
        }
    }
    bytes answer = card_.process(apdu);
    if (plan_.malformed != malformed_kind::none && commands_ >= plan_.malformed_from) {
        if (plan_.malformed == malformed_kind::single_byte || answer.size() <= 2)
            answer.resize(1);
        else
            answer.resize(answer.size() - 2);
    }
    return {card_reply::kind::answer, std::move(answer)};
}

}  // namespace ballotbox::cardsim
