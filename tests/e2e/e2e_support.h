// Shared pieces of the end-to-end tests (tests/e2e/): a signed test package in any time zone
// (cheap scrypt, a test commission key written to a PEM file, two booth keys), a started
// ballotboxd on the table reader "Virtual PCD 00 00", virtual cards moved between the vpcd
// readers (each insertion waits until the reader is seen empty, each move until pcscd saw
// the card, by polling PC/SC's reader state instead of sleeping), the booth's marking on
// reader 1 through a real card_session, and readers of the finished ledger.
//
// Everything REQUIREs (doctest): a failure stops the test with the daemon's log attached.
// One test thread; the pcscd_fixture and the daemon belong to it.
#pragma once

#include <doctest/doctest.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cardio/card_record.h"
#include "cardio/pcsc_context.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "election/election_package.h"
#include "ledger/entry.h"
#include "tests/support/daemon_fixture.h"
#include "tests/support/ledger_reading.h"
#include "tests/support/temp_dir.h"
#include "tools/cardsim/fault_plan.h"
#include "tools/cardsim/virtual_card_connection.h"

namespace ballotbox::e2e {

inline constexpr const char* secret = "sealed-envelope-e2e";
inline constexpr int table_reader = 0;
inline constexpr int booth_reader = 1;

struct test_package {
    crypto::ed25519_private_key commission;
    std::vector<crypto::ed25519_private_key> booths;
    std::string file_text;
    election::election_package parsed;
};
// The docs/examples template with this time zone (and station id, and election date
// "YYYY-MM-DD" when given), completed and signed.
test_package make_package(random_source& random, const std::string& time_zone, bool training,
                          const std::string& station_id = "astana-0001",
                          const std::string& date = "");

// A station: its folder, package, commission key file and (once started) its daemon.
struct station {
    test_support::temp_dir dir{"ballotbox-e2e"};
    test_package package;
    std::unique_ptr<test_support::daemon_fixture> daemon;

    station(random_source& random, const std::string& time_zone, bool training,
            const std::string& date = "");
    std::filesystem::path state_dir() const { return dir.path() / "state"; }
    std::filesystem::path ledger_path() const { return state_dir() / "ledger.sqlite"; }
    // Starts ballotboxd on the table reader with these extra arguments.
    void start(std::vector<std::string> extra_args, std::vector<std::string> extra_env = {});
    boost::json::object request(const boost::json::object& request);  // REQUIREs a response
    boost::json::object status();
    void set_up();
    void open();
};

// Card images.
cardsim::card_image zero_image();                           // never prepared
cardsim::card_image image_with(byte_view record_bytes);     // the EF starts with these bytes
cardsim::card_image blank_image();                          // a prepared blank card
cardio::card_record record_of(const cardsim::card_image&);  // REQUIREs that it parses

// Waits on PC/SC's view of the vpcd readers (its own context, this thread only).
class reader_watch {
  public:
    reader_watch();
    // True once the reader is (not) holding a card, false after `limit`.
    bool wait(int reader, bool present, std::chrono::milliseconds limit);

  private:
    cardio::pcsc_context context_;
};

// A card inserted in a reader; removing it returns its image.
class inserted_card {
  public:
    // Waits until the reader is empty, then inserts.
    inserted_card(reader_watch& watch, int reader, cardsim::card_image image,
                  cardsim::fault_plan faults = {});
    ~inserted_card();
    cardsim::card_image remove();  // idempotent
    void wait_present();           // until pcscd reports the card in its reader
    cardsim::card_end wait_ended();
    bool removed() const { return removed_; }

  private:
    reader_watch& watch_;
    int reader_;
    std::unique_ptr<cardsim::virtual_card_connection> card_;
    bool removed_ = false;
    cardsim::card_image last_;
};

// Choices for the races of an issued card, drawn from `random`.
std::vector<cardio::ballot_choice> draw_choices(crypto::seeded_random& random,
                                                const cardio::issued_card& card);
// Marks the card in the booth reader (insert, PC/SC session, mark_ballot, remove); returns
// the voted card's image and the voted record as the booth wrote it.
std::pair<cardsim::card_image, cardio::voted_card> vote_at_booth(
    reader_watch& watch, const station& st, cardsim::card_image issued,
    const crypto::ed25519_private_key& booth, const std::vector<cardio::ballot_choice>& choices);

// A ballot as a comparable string: "race:choice,race:choice" (choice: option index, "A" for
// against all, "B" for blank).
std::string ballot_key(const cardio::voted_card& card);

struct ledger_counts {
    std::uint64_t issue = 0, cast = 0, cancel = 0, rejected = 0, notes = 0, turnout = 0,
                  restart = 0, opening = 0, closing = 0;
    std::map<std::int64_t, std::uint64_t> rejected_by_reason;  // reason code -> count
};
ledger_counts count_ledger(const std::filesystem::path& ledger_path);
using test_support::bodies_of;  // tests/support/ledger_reading.h
// The box's ballots as ballot_key strings (sorted), REQUIRE-ing that each decodes.
std::multiset<std::string> box_ballots(const std::filesystem::path& ledger_path);

}  // namespace ballotbox::e2e
