// The state after a restart comes from the ledger alone; a crash between the ledger commit
// and the card clear never counts a ballot twice; a training clock needs a training package.
#include <doctest/doctest.h>

#include "appliance/training_clock.h"
#include "cardio/card_transport_faults.h"
#include "ledger/verify.h"
#include "tests/appliance/appliance_fixture.h"

using namespace ballotbox;
using namespace ballotbox::appliance;
using namespace ballotbox::appliance::testing;
using cardio::ballot_choice;

namespace {

const std::vector<ballot_choice> both_blank{ballot_choice::left_blank(),
                                            ballot_choice::left_blank()};

void check_same(const poll_status& a, const poll_status& b) {
    CHECK(a.state == b.state);
    CHECK(a.counts == b.counts);
    CHECK(a.next_style == b.next_style);
    CHECK(a.next_turnout_at == b.next_turnout_at);
    CHECK(a.wrong_open_tries == b.wrong_open_tries);
}

}  // namespace

TEST_CASE("restart: the state is derived from the ledger at every stage") {
    station st;
    CHECK(st.day->state() == poll_state::unconfigured);
    st.start();
    CHECK(st.day->state() == poll_state::unconfigured);

    REQUIRE(st.day->setup(st.package.file_text).ok());
    REQUIRE(st.day->select_style("party-list-only").ok());
    st.clock.set(st.opens_at() + std::chrono::minutes(1));
    CHECK(st.day->open("wrong").err().code == "appliance.wrong_secret");
    auto before = st.day->status();
    st.start();
    check_same(before, st.day->status());
    CHECK(st.day->state() == poll_state::set_up);
    CHECK(st.day->status().next_style == "party-list-only");
    CHECK(st.day->status().wrong_open_tries == 1);
    CHECK(count_ledger(st.ledger_path()).restart == 1);

    REQUIRE(st.day->open(test_secret).ok());
    REQUIRE(st.day->select_style("both").ok());
    // Two voters cast, one card out at the booth, one cancelled.
    for (int v = 0; v < 2; ++v) {
        model_card card(blank_card_image());
        REQUIRE(st.day->handle_card(card).outcome == card_outcome::issued);
        vote_at_booth(card, st.package.booths[0], both_blank);
        REQUIRE(st.day->handle_card(card).outcome == card_outcome::accepted);
    }
    model_card outstanding(blank_card_image());
    REQUIRE(st.day->handle_card(outstanding).outcome == card_outcome::issued);
    model_card cancelled(blank_card_image());
    REQUIRE(st.day->handle_card(cancelled).outcome == card_outcome::issued);
    auto cancelled_copy = cancelled.image();
    REQUIRE(st.day->cancel_card(cancelled).outcome == card_outcome::cancelled);
    // Past the 10:00 report.
    st.clock.set(st.package.parsed.turnout_reports_at[0] + std::chrono::minutes(3));
    REQUIRE(st.day->tick().ok());
    before = st.day->status();
    CHECK(before.counts == poll_counts{4, 2, 1, 0});
    st.start();
    check_same(before, st.day->status());
    CHECK(st.day->state() == poll_state::open);
    CHECK(count_ledger(st.ledger_path()).turnout == 1);
    // A cancelled token stays cancelled after the restart.
    {
        model_card again(cancelled_copy);
        auto r = st.day->handle_card(again);
        CHECK(r.outcome == card_outcome::already_recorded);
        CHECK(r.reason == refusal_reason::token_cancelled);
    }
    // The card out at the booth is still cast after the restart.
    vote_at_booth(outstanding, st.package.booths[1], both_blank);
    auto r = st.day->handle_card(outstanding);
    CHECK(r.outcome == card_outcome::accepted);
    CHECK(r.running_number == 3);

    // Closing time (with a restart while no tick happened: start derives, tick records).
    st.clock.set(st.closes_at() + std::chrono::minutes(1));
    REQUIRE(st.day->tick().ok());
    before = st.day->status();
    CHECK(before.state == poll_state::closing);
    st.start();
    check_same(before, st.day->status());
    CHECK(st.day->state() == poll_state::closing);
    CHECK(count_ledger(st.ledger_path()).turnout == 6);  // 10, 12, 14, 16, 18, 20:00

    // A wall-clock jump back does not reopen issuing.
    st.clock.set(st.opens_at() + std::chrono::hours(1));
    st.start();
    CHECK(st.day->state() == poll_state::closing);
    {
        model_card card(blank_card_image());
        CHECK(st.day->handle_card(card).reason == refusal_reason::polls_closed);
    }
    st.clock.set(st.closes_at() + std::chrono::minutes(2));
    REQUIRE(st.day->close().ok());
    before = st.day->status();
    auto entries = before.ledger_entries;
    st.start();
    CHECK(st.day->state() == poll_state::closed);
    CHECK(st.day->status().counts == before.counts);
    CHECK(st.day->status().ledger_entries == entries);  // no restart event after the close
    CHECK(ledger::verify(st.ledger_path()).complete());
    CHECK(count_ledger(st.ledger_path()).restart == 4);
}

TEST_CASE("crash between the ledger commit and the card clear: never counted twice") {
    station st;
    st.set_up_and_open();
    model_card inner(blank_card_image());
    REQUIRE(st.day->handle_card(inner).outcome == card_outcome::issued);
    vote_at_booth(inner, st.package.booths[0],
                  {ballot_choice::for_option(3), ballot_choice::against_all()});
    {
        // The cast: select, two reads, then the clearing write (select + chunks) fails.
        cardio::fault_injecting_transport card(inner);
        card.fail_call(4, make_error("card.removed", "the appliance died here"));
        auto r = st.day->handle_card(card);
        CHECK(r.outcome == card_outcome::accepted);
        CHECK_FALSE(r.card_cleared);
        CHECK(r.running_number == 1);
    }
    CHECK(std::holds_alternative<cardio::voted_card>(read_record(inner)));
    st.start();  // the daemon restarts
    CHECK(st.day->status().counts.cast == 1);
    auto r = st.day->handle_card(inner);
    CHECK(r.outcome == card_outcome::already_recorded);
    CHECK(r.reason == refusal_reason::already_recorded);
    CHECK(r.card_cleared);
    CHECK(std::holds_alternative<cardio::blank_card>(read_record(inner)));
    CHECK(st.day->status().counts.cast == 1);
    CHECK(count_ledger(st.ledger_path()).cast == 1);
    auto again = st.day->handle_card(inner);  // blank now: issued to the next voter
    CHECK(again.outcome == card_outcome::issued);
}

TEST_CASE("a training clock is refused for a real package, accepted for a training one") {
    SUBCASE("real package") {
        station st;
        st.training_clock = true;
        st.start();
        auto s = st.day->setup(st.package.file_text);
        REQUIRE_FALSE(s.ok());
        CHECK(s.err().code == "appliance.training_clock_refused");
        CHECK(st.day->state() == poll_state::unconfigured);
        CHECK_FALSE(std::filesystem::exists(st.ledger_path()));
        // And a real day set up on the system clock does not start on a training clock.
        st.training_clock = false;
        st.start();
        REQUIRE(st.day->setup(st.package.file_text).ok());
        st.training_clock = true;
        auto d = poll_day::start(st.config());
        REQUIRE_FALSE(d.ok());
        CHECK(d.err().code == "appliance.training_clock_refused");
    }
    SUBCASE("training package") {
        station st(true);
        st.training_clock = true;
        st.start();
        auto s = st.day->setup(st.package.file_text);
        REQUIRE(s.ok());
        CHECK(s->training);
        // Training opens before the opening time and closes before the closing time.
        REQUIRE(st.day->open(test_secret).ok());
        model_card card(blank_card_image());
        auto r = st.day->handle_card(card);
        CHECK(r.outcome == card_outcome::issued);
        CHECK(r.training);
        CHECK(st.day->status().training);
        REQUIRE(st.day->close().ok());
        CHECK(ledger::verify(st.ledger_path()).complete());
    }
}

TEST_CASE("training_clock runs from its start at its speed") {
    manual_clock base(time_point(std::chrono::seconds(1000)));
    auto start = time_point(std::chrono::hours(500000));
    auto clock = training_clock::make(base, start, 60);
    REQUIRE(clock.ok());
    CHECK(clock->now() == start);
    base.advance(std::chrono::seconds(10));
    CHECK(clock->now() == start + std::chrono::minutes(10));
    CHECK(training_clock::make(base, start, 0).err().code == "appliance.bad_training_speed");
}
