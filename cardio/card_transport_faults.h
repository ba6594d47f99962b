// fault_injecting_transport: a card_transport decorator that makes chosen calls fail, for
// tests of what the layers above do when a card or reader misbehaves.
//
// Calls are numbered from 1 in the order they reach this object. Faults:
//  - fail_call(n, e): call n returns e and does not reach the card (the command is lost);
//  - remove_card_before(n): call n and every later call return card.removed without reaching
//    the card (the card was pulled out before call n);
//  - remove_card_after(n): call n reaches the card and takes effect, but its answer is lost
//    and call n and every later call return card.removed (pulled out mid-command).
// The inner transport is borrowed and must outlive this object. Not thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <optional>

#include "cardio/card_transport.h"

namespace ballotbox::cardio {

class fault_injecting_transport final : public card_transport {
  public:
    explicit fault_injecting_transport(card_transport& inner) : inner_(inner) {}

    void fail_call(std::size_t n, error e) { failures_[n] = std::move(e); }
    void remove_card_before(std::size_t n) { removed_before_ = n; }
    void remove_card_after(std::size_t n) { removed_after_ = n; }

    // Calls made so far, and how many of them reached the inner transport.
    std::size_t calls() const { return calls_; }
    std::size_t delivered() const { return delivered_; }

    result<bytes> transmit(byte_view command_apdu) override;
    bool abandon() override { return inner_.abandon(); }

  private:
    card_transport& inner_;
    std::map<std::size_t, error> failures_;
    std::optional<std::size_t> removed_before_;
    std::optional<std::size_t> removed_after_;
    std::size_t calls_ = 0;
    std::size_t delivered_ = 0;
};

}  // namespace ballotbox::cardio
