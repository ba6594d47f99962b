// daemon_cards: what the tests of ballotboxd through the real pcscd share: a prepared blank
// ballot card, and the next card event on a `ballotbox watch` connection.
#pragma once

#include <boost/json/object.hpp>

#include "tests/daemon/daemon_process.h"
#include "tools/cardsim/card_image.h"

namespace ballotbox::test_daemon {

// A blank card image with the blank record at the start of the card's EF.
cardsim::card_image prepared_blank_card();

// Reads the watcher's lines until a card event arrives and returns its "card" object; fails
// the test if the connection ends or 1,000 lines pass without one.
boost::json::object next_card_event(line_client& watcher);

}  // namespace ballotbox::test_daemon
