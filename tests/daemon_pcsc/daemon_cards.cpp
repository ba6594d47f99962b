#include "tests/daemon_pcsc/daemon_cards.h"

#include <doctest/doctest.h>

#include "cardio/card_codec.h"
#include "common/canonical_json.h"

namespace ballotbox::test_daemon {

cardsim::card_image prepared_blank_card() {
    return cardsim::card_image_with_record(cardio::encode_card_record(cardio::blank_card{}).value())
        .value();
}

boost::json::object next_card_event(line_client& watcher) {
    for (int i = 0; i < 1000; ++i) {
        auto line = watcher.read_line();
        REQUIRE_MESSAGE(line.has_value(), "the watch connection ended");
        auto event = parse_json_strict(*line);
        REQUIRE(event.ok());
        if (event->at("event") == "card")
            return event->at("card").as_object();
    }
    FAIL("no card event");
    return {};
}

}  // namespace ballotbox::test_daemon
