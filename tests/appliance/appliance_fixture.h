// Shared pieces of the appliance tests: a signed test package (cheap scrypt, a test
// commission key, two booths), in-process cards (cardsim's file_system_card behind a
// card_transport), the booth's side of voting, and a poll_day over a temporary state
// directory with a manual clock and a seeded random source.
#pragma once

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "appliance/poll_day.h"
#include "cardio/card_record.h"
#include "cardio/card_transport.h"
#include "common/clock.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "election/election_package.h"
#include "ledger/entry.h"
#include "tests/support/ledger_reading.h"
#include "tests/support/temp_dir.h"
#include "tools/cardsim/file_system_card.h"

namespace ballotbox::appliance::testing {

inline constexpr const char* test_secret = "sealed-envelope-7";

// A card in the reader: cardsim's card model answering each APDU in process.
class model_card final : public cardio::card_transport {
  public:
    explicit model_card(cardsim::card_image image) : card_(std::move(image)) {}
    result<bytes> transmit(byte_view apdu) override { return card_.process(apdu); }
    const cardsim::file_system_card& card() const { return card_; }
    cardsim::card_image image() const { return card_.image(); }
    bytes ef() const;  // the record EF's content

  private:
    cardsim::file_system_card card_;
};

cardsim::card_image zero_card_image();                   // never prepared (all zeros)
cardsim::card_image image_with(byte_view record_bytes);  // the EF starts with these bytes
cardsim::card_image blank_card_image();                  // a prepared blank card

// The record on a card (REQUIREs that it parses).
cardio::card_record read_record(cardio::card_transport& card);

struct test_package {
    crypto::ed25519_private_key commission;
    std::vector<crypto::ed25519_private_key> booths;
    std::string file_text;
    election::election_package parsed;
};
// The docs/examples template, completed and signed; training as given; another station id
// than the template's when one is given.
test_package make_test_package(random_source& random, bool training,
                               const std::string& station_id = {});

// A voter at the booth: reads the issued card, signs the choices, writes the voted card.
void vote_at_booth(cardio::card_transport& card, const crypto::ed25519_private_key& booth,
                   const std::vector<cardio::ballot_choice>& choices);

struct ledger_counts {
    std::uint64_t issue = 0, cast = 0, cancel = 0, rejected = 0, notes = 0, turnout = 0,
                  restart = 0, commands = 0, opening = 0, closing = 0;
};
ledger_counts count_ledger(const std::filesystem::path& ledger_path);
using test_support::bodies_of;  // tests/support/ledger_reading.h

// A station under test: state dir, clock, random, package, and the poll_day.
struct station {
    test_support::temp_dir dir{"ballotbox-appliance"};
    crypto::seeded_random random{4242};
    test_package package;
    manual_clock clock;
    bool training_clock = false;
    std::optional<poll_day> day;

    explicit station(bool training = false);
    // Another station (its own id, keys and package from another random seed).
    station(const std::string& station_id, std::uint64_t seed);
    poll_day_config config();
    void start();  // (re)starts the poll_day from the state directory
    std::filesystem::path ledger_path() const { return dir.path() / "state" / "ledger.sqlite"; }
    time_point opens_at() const { return package.parsed.opens_at; }
    time_point closes_at() const { return package.parsed.closes_at; }
    void set_up_and_open();
};

}  // namespace ballotbox::appliance::testing
