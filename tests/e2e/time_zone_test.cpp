// Each station closes at 20:00 of its own time zone, through the built ballotboxd, the real
// pcscd and vpcd: one in Asia/Almaty (UTC+6 on 2023-03-19) and one in America/New_York (UTC-4
// that day: daylight saving time began on March 12, so its 20:00 is 00:00 UTC of March 20).
//
// Why training packages: ballotboxd takes its clock from the system unless the package is a
// training one (a real package refuses --training-clock-*, by design), so a real package
// could only be closed in a test that runs at the real 20:00. The closing time comes from the
// package's zone and hours in both cases, and tick() moves open -> closing the same way; what
// training lifts is only the opening and close-command time limits (the chair's close before
// 20:00 is refused only for real packages: that refusal is covered in process by
// tests/appliance, not here).
//
// The clock runs from 19:58 local at 60x; a card issued before 20:00 and voted is still
// accepted after it, a blank card is refused; the turnout/closing event says 20:00 local and
// the right UTC instant. Then the clock is set back: the daemon is restarted with its
// training clock at 19:00 local; it resumes from the latest time the ledger holds (20:00)
// instead, and the poll stays closed to issuing. (A training clock cannot go back any more;
// that the closing time is a ledger event, so a system clock set back cannot reopen issuing,
// is tested in process by tests/appliance with a clock seam.) Every refusal in the ledger is
// one this test provoked: a card taken out just before a restart is not recorded. Run under
// `flock /tmp/ballotbox-pcscd.lock` on a shared machine.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "ledger/verify.h"
#include "tests/e2e/e2e_table.h"
#include "tests/support/pcscd_fixture.h"

namespace {

using namespace ballotbox;
using namespace ballotbox::e2e;
using namespace std::chrono_literals;

std::vector<std::string> daemon_args(const std::string& local_start) {
    return {"--table-reader=" + test_support::pcscd_fixture::reader_name(table_reader),
            "--training-clock-start=" + local_start, "--training-clock-speed=60"};
}

std::string state_of(station& st) {
    return std::string(st.status().at("state").as_string());
}

void closes_at_its_own_eight_pm(const std::string& zone, const std::string& utc_offset,
                                std::int64_t closing_unix_time) {
    CAPTURE(zone);
    auto pcscd = test_support::pcscd_fixture::start();
    REQUIRE_MESSAGE(pcscd.ok(), pcscd.err().message);
    crypto::seeded_random random(2000);
    station st(random, zone, true);
    st.start({"--training-clock-start=2023-03-19T19:58", "--training-clock-speed=60"});
    st.set_up();
    st.open();
    table t(st);
    seen s;

    auto status = st.status();
    CHECK(status.at("time_zone") == zone.c_str());
    CHECK(std::string(status.at("closes_at_local").as_string()) ==
          "2023-03-19 20:00:00 " + utc_offset);
    CHECK(status.at("now_local").as_string().starts_with("2023-03-19 19:5"));

    // Before 20:00 local: a card is issued and voted; it stays with the voter for a while.
    auto issued_image = t.issue(s);
    const auto issued = std::get<cardio::issued_card>(record_of(issued_image));
    auto [voted_image, voted] = vote_at_booth(t.watch(), st, issued_image, st.package.booths[0],
                                              draw_choices(random, issued));
    REQUIRE(state_of(st) == "open");  // still before 20:00 (2 minutes at 60x: 2 s)

    for (int i = 0; i < 600 && state_of(st) != "closing"; ++i)
        std::this_thread::sleep_for(50ms);
    REQUIRE(state_of(st) == "closing");
    CHECK(st.status().at("now_local").as_string().starts_with("2023-03-19 20:"));

    // After 20:00: no card issued; the card issued before is still cast.
    t.refused(blank_image(), "polls_closed", s);
    t.cast(voted_image, s);

    // The closing time is in the ledger: 20:00 local, the right UTC instant.
    auto turnouts = bodies_of(st.ledger_path(), ledger::event_type::turnout);
    REQUIRE_FALSE(turnouts.empty());
    const auto& closing = turnouts.back();
    INFO(boost::json::serialize(closing));
    CHECK(closing.at("closing_time") == true);
    CHECK(closing.at("at") == closing_unix_time);
    CHECK(closing.at("local_time").as_string().starts_with("2023-03-19 20:00"));

    // The clock set back to 19:00: restarted, it resumes at 20:00 and the poll stays closed
    // to issuing.
    CHECK(st.daemon->stop() == 0);
    REQUIRE(st.daemon->restart(daemon_args("2023-03-19T19:00")).ok());
    t.reconnect();
    status = st.status();
    INFO(boost::json::serialize(status));
    CHECK(status.at("now_local").as_string().starts_with("2023-03-19 20:0"));
    CHECK(status.at("state") == "closing");
    t.refused(blank_image(), "polls_closed", s);
    CHECK(bodies_of(st.ledger_path(), ledger::event_type::turnout).size() == turnouts.size());

    // The chair's close ends the day; nothing reopens it.
    auto close = st.request({{"command", "close"}});
    REQUIRE_MESSAGE(test_support::is_ok_response(close), boost::json::serialize(close));
    CHECK(state_of(st) == "closed");
    CHECK(st.daemon->stop() == 0);
    REQUIRE(st.daemon->restart(daemon_args("2023-03-19T08:00")).ok());
    t.reconnect();
    CHECK(state_of(st) == "closed");
    CHECK(st.status().at("now_local").as_string().starts_with("2023-03-19 20:0"));
    t.refused(blank_image(), "poll_ended", s, false);
    CHECK(st.daemon->stop() == 0);

    auto report = ledger::verify(st.ledger_path());
    INFO(report.summary());
    CHECK(report.complete());
    auto c = count_ledger(st.ledger_path());
    CHECK(c.issue == 1);
    CHECK(c.cast == 1);
    CHECK(c.rejected == s.rejected);  // nothing recorded for a card no one presented
    CHECK(c.restart == 1);            // the restart after the close is not recorded
    CHECK(box_ballots(st.ledger_path()) == std::multiset<std::string>{ballot_key(voted)});
}

TEST_CASE(
    "a station in Asia/Almaty closes at its own 20:00 and a clock set back does not reopen it") {
    // 2023-03-19 20:00 +06:00 = 14:00 UTC.
    closes_at_its_own_eight_pm("Asia/Almaty", "+0600", 1679234400);
}

TEST_CASE(
    "a station in America/New_York closes at its own 20:00 and a clock set back does not reopen "
    "it") {
    // 2023-03-19 20:00 -04:00 (daylight saving time) = 2023-03-20 00:00 UTC.
    closes_at_its_own_eight_pm("America/New_York", "-0400", 1679270400);
}

}  // namespace
