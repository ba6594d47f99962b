#include "tests/e2e/e2e_table.h"

#include <boost/json/serialize.hpp>

namespace ballotbox::e2e {

using namespace std::chrono_literals;

std::string describe(const boost::json::object& card) {
    return boost::json::serialize(card);
}

table::table(station& st) : st_(st) {
    reconnect();
}

void table::reconnect() {
    watcher_.reset();
    auto c = st_.daemon->connect();
    REQUIRE_MESSAGE(c.ok(), c.err().message);
    watcher_.emplace(std::move(*c));
    auto r = watcher_->request({{"command", "watch"}});
    REQUIRE_MESSAGE(r.ok(), r.err().message);
    REQUIRE(test_support::is_ok_response(*r));
}

std::pair<boost::json::object, cardsim::card_image> table::present(cardsim::card_image image,
                                                                   cardsim::fault_plan faults) {
    inserted_card card(watch_, table_reader, std::move(image), faults);
    auto event = watcher_->next_card(30s);
    if (!event.ok()) {
        const bool seen_by_pcsc = watch_.wait(table_reader, true, 0ms);
        FAIL("no card event from the daemon: ", event.err().message,
             "; PC/SC sees a card in the table reader: ", seen_by_pcsc ? "yes" : "no",
             "; status: ", boost::json::serialize(st_.status()), "\n", st_.daemon->log_tail());
    }
    return {*event, card.remove()};
}

cardsim::card_image table::issue(seen& s) {
    auto [card, image] = present(blank_image());
    REQUIRE_MESSAGE(card.at("outcome") == "issued", describe(card), "\n", st_.daemon->log_tail());
    ++s.issued;
    REQUIRE(std::holds_alternative<cardio::issued_card>(record_of(image)));
    return image;
}

void table::cast(const cardsim::card_image& voted, seen& s) {
    auto [card, image] = present(voted);
    REQUIRE_MESSAGE(card.at("outcome") == "accepted", describe(card), "\n", st_.daemon->log_tail());
    ++s.cast;
    CHECK(card.at("running_number") == s.cast);
    CHECK(card.at("card_cleared") == true);
    CHECK(std::holds_alternative<cardio::blank_card>(record_of(image)));
    s.ballots.insert(ballot_key(std::get<cardio::voted_card>(record_of(voted))));
}

boost::json::object table::refused(cardsim::card_image image, const std::string& reason, seen& s,
                                   bool recorded, cardsim::fault_plan faults) {
    auto [card, after] = present(std::move(image), faults);
    INFO("expected ", reason, ": ", describe(card));
    CHECK(card.at("outcome") == "refused");
    CHECK(card.at("reason") == reason.c_str());
    CHECK(card.contains("what_to_do"));
    CHECK(card.contains("ledger_seq") == recorded);
    if (recorded)
        ++s.rejected;
    return card;
}

}  // namespace ballotbox::e2e
