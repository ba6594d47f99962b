// protocol_day: builds a real ledger for protocol tests, with the training election package
// (docs/examples), real card records (cardio's make_issued_card / sign_as_booth /
// encode_card_record) and the same event bodies the poll-day core writes (issue {"style"},
// cancel {"reason","token"}, opening/turnout {"at",...}, closing extra {"at", ...}).
// Each step REQUIREs success. Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cardio/card_record.h"
#include "common/clock.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "election/election_package.h"
#include "ledger/ledger.h"

namespace ballotbox::test_support {

// The signed training package from docs/examples, verified with the training commission key.
election::election_package training_package();

class protocol_day {
  public:
    explicit protocol_day(const std::filesystem::path& ledger_path, std::uint64_t seed = 7);

    const election::election_package& package() const { return package_; }
    const crypto::ed25519_private_key& appliance_key() const { return key_; }
    ledger::ledger& book() { return *book_; }
    manual_clock& clock() { return clock_; }

    void open();  // opening event at 07:00 local and the opening checkpoint
    // Issues a card of the style (appends the issue event) and returns it.
    cardio::issued_card issue(const std::string& style = "both", bool portable = false);
    // The booth marks the card (choices per race of its style) and it is cast.
    void cast(const cardio::issued_card& card, const std::vector<cardio::ballot_choice>& choices,
              ledger::ballot_source source = ledger::ballot_source::stationary);
    void cancel(const cardio::issued_card& card, bool with_style = false);
    void turnout(int hour);                     // turnout event at hour:00 local and its checkpoint
    void close(std::int64_t voters_added = 0);  // closing entry (at 20:00) and final checkpoint

  private:
    election::election_package package_;
    crypto::ed25519_private_key key_;
    crypto::ed25519_private_key booth_;
    manual_clock clock_;
    crypto::seeded_random random_;
    std::unique_ptr<ledger::ledger> book_;
    bytes mac_key_;
};

}  // namespace ballotbox::test_support
