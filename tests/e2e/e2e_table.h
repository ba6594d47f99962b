// The poll worker's table in the end-to-end tests: a watch connection to ballotboxd and the
// PC/SC reader view, and the three things done there with a card — present it and read the
// daemon's card event, issue a blank card, cast a voted one — plus what the test saw.
//
// One test thread. reconnect() after the daemon was restarted.
#pragma once

#include <doctest/doctest.h>

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "tests/e2e/e2e_support.h"

namespace ballotbox::e2e {

// What the test saw, to compare with the ledger and the status at the end.
struct seen {
    std::uint64_t issued = 0, cast = 0, cancelled = 0, rejected = 0, notes = 0;
    std::multiset<std::string> ballots;  // ballot_key of every card the booth marked and cast
};

class table {
  public:
    explicit table(station& st);
    void reconnect();  // a new watch connection (after a daemon restart)

    // Inserts the card in the table reader, returns the daemon's card event and the card's
    // image after removal.
    std::pair<boost::json::object, cardsim::card_image> present(cardsim::card_image image,
                                                                cardsim::fault_plan faults = {});
    // A blank card issued (REQUIREd); the issued card's image.
    cardsim::card_image issue(seen& s);
    // A voted card accepted (REQUIREd), running number = s.cast; the card comes back blank.
    void cast(const cardsim::card_image& voted, seen& s);
    // Expects a refusal with this reason name; counts it when the ledger records it.
    boost::json::object refused(cardsim::card_image image, const std::string& reason, seen& s,
                                bool recorded = true, cardsim::fault_plan faults = {});

    reader_watch& watch() { return watch_; }
    test_support::daemon_connection& watcher() { return *watcher_; }

  private:
    station& st_;
    reader_watch watch_;
    std::optional<test_support::daemon_connection> watcher_;
};

std::string describe(const boost::json::object& card);  // for failure messages

}  // namespace ballotbox::e2e
