// A card ballotboxd never read is never recorded (issue 4's restart race), through the built
// daemon, the real pcscd and vpcd.
//
// The race: a card taken out of the table reader while the daemon is down can still be listed
// by pcscd when the daemon starts again (vpcd is polled every 400 ms), so the daemon's start
// reports it inserted and its first APDU finds it gone. That used to be recorded as a
// "removed" refusal no poll worker ever saw. Reproduced on purpose with cardsim's
// vanish_on_command = 1 (the card is listed, and disconnects on the first command it gets):
// while the daemon runs, and at a restart, the daemon's first command reaches it (the card
// ends "vanished") and nothing is recorded; the next card is handled normally (its card event
// is the next one: no report was sent for the card that never answered). Then the race as it
// happens: a card taken out right before a restart, whether or not pcscd noticed in time.
// Run under `flock /tmp/ballotbox-pcscd.lock` on a shared machine.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "ledger/verify.h"
#include "tests/e2e/e2e_table.h"
#include "tests/support/pcscd_fixture.h"

namespace {

using namespace ballotbox;
using namespace ballotbox::e2e;
using namespace std::chrono_literals;

void check_nothing_rejected(station& st, const seen& s) {
    auto counts = st.status().at("counts").as_object();
    INFO(boost::json::serialize(counts));
    CHECK(counts.at("rejected") == 0);
    CHECK(counts.at("issued") == s.issued);
    CHECK(count_ledger(st.ledger_path()).rejected == 0);
    CHECK(count_ledger(st.ledger_path()).notes == 0);
}

TEST_CASE("a card gone before the daemon's first command is not recorded, also at a restart") {
    auto pcscd = test_support::pcscd_fixture::start();
    REQUIRE_MESSAGE(pcscd.ok(), pcscd.err().message);
    crypto::seeded_random random(1404);
    station st(random, "Asia/Almaty", true);
    st.start({"--training-clock-start=2023-03-19T09:00", "--training-clock-speed=1"});
    st.set_up();
    st.open();
    table t(st);
    seen s;

    // While the daemon runs: the card vanishes on the daemon's first command.
    {
        inserted_card card(t.watch(), table_reader, blank_image(), {.vanish_on_command = 1});
        CHECK(card.wait_ended() == cardsim::card_end::vanished);
    }
    t.issue(s);  // the next card event is this card's: none was sent for the vanished one
    check_nothing_rejected(st, s);

    // At a restart: the card goes in while the daemon is down, pcscd lists it when the
    // daemon starts, and it is gone at the daemon's first command.
    CHECK(st.daemon->stop() == 0);
    {
        inserted_card card(t.watch(), table_reader, blank_image(), {.vanish_on_command = 1});
        card.wait_present();
        REQUIRE_MESSAGE(st.daemon->restart().ok(), st.daemon->log_tail());
        CHECK(card.wait_ended() == cardsim::card_end::vanished);  // the daemon did try it
    }
    t.reconnect();
    t.issue(s);
    check_nothing_rejected(st, s);

    // The race as it happens: a card taken out right before the restart, whether pcscd has
    // noticed by the time the daemon looks or not.
    for (int round = 0; round < 5; ++round) {
        CAPTURE(round);
        CHECK(st.daemon->stop() == 0);
        {
            inserted_card card(t.watch(), table_reader, blank_image());
            card.wait_present();
        }  // removed here
        REQUIRE_MESSAGE(st.daemon->restart().ok(), st.daemon->log_tail());
        t.reconnect();
        t.issue(s);
        check_nothing_rejected(st, s);
    }
    CHECK(st.daemon->stop() == 0);
    auto report = ledger::verify(st.ledger_path());
    INFO(report.summary());
    CHECK_FALSE(report.problem.has_value());
    CHECK(count_ledger(st.ledger_path()).issue == s.issued);
}

}  // namespace
