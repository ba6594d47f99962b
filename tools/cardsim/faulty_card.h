// faulty_card: a file_system_card with a fault_plan applied — what the card does with each
// message of one insertion, before any socket is involved (so the faults can be unit
// tested). The delay of the plan is left to the caller, which can wait interruptibly.
//
// Thread safety: none; one owner (virtual_card_connection guards it with a mutex).
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "tools/cardsim/fault_plan.h"
#include "tools/cardsim/file_system_card.h"

namespace ballotbox::cardsim {

struct card_reply {
    enum class kind { answer, vanish, torn };
    kind what = kind::answer;
    bytes apdu;  // the answer to send (kind::answer only)
};

class faulty_card {
  public:
    faulty_card(file_system_card card, fault_plan plan);

    // A new insertion (connection): command and byte counts start again.
    void inserted();
    // One command APDU. vanish and torn mean: disconnect now without answering.
    card_reply on_command(byte_view apdu);
    // Power off/on or reset from the reader.
    void on_reset() { card_.reset(); }

    bytes atr() const { return card_.atr(); }
    std::size_t commands() const { return commands_; }
    const fault_plan& plan() const { return plan_; }
    const file_system_card& card() const { return card_; }

  private:
    file_system_card card_;
    fault_plan plan_;
    std::size_t commands_ = 0;
    std::size_t written_ = 0;
};

}  // namespace ballotbox::cardsim
