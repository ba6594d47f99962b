// The chair's close before the closing time, through ballotboxd's control socket: refused
// with appliance.too_early, recorded as a refused operator command, and the poll stays open.
//
// Only a real (non-training) package refuses it, and a real package runs on the system clock
// (it refuses a training clock), so the test makes a real package for today in a time zone
// whose local time is now between 09:00 and 17:00: the poll can be opened (after 07:00) and the
// close is well before 20:00, whatever time of day the test runs. No cards and no pcscd.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "election/local_time.h"
#include "tests/e2e/e2e_table.h"

namespace {

using namespace ballotbox;
using namespace ballotbox::e2e;

// A zone whose local time is now between 09:00 and 17:00, and its local date. The zones' UTC
// offsets (+14 ... -11, at most 3 hours apart) always leave one in an 8-hour window.
std::pair<std::string, std::string> zone_in_working_hours(time_point now) {
    for (const char* zone : {"Pacific/Kiritimati", "Pacific/Auckland", "Asia/Tokyo", "Asia/Almaty",
                             "Asia/Dubai", "Europe/Moscow", "Europe/London", "Atlantic/Azores",
                             "America/Sao_Paulo", "America/New_York", "America/Denver",
                             "America/Los_Angeles", "Pacific/Honolulu", "Pacific/Pago_Pago"}) {
        const auto local = election::format_local(zone, now);  // "2023-03-19 07:00:00 +0600"
        const int hour = std::stoi(local.substr(11, 2));
        if (hour >= 9 && hour < 17)
            return {zone, local.substr(0, 10)};
    }
    return {};
}

TEST_CASE("the chair's close before 20:00 is refused through the control socket") {
    const auto [zone, date] = zone_in_working_hours(system_clock_source{}.now());
    REQUIRE_FALSE(zone.empty());
    CAPTURE(zone);
    CAPTURE(date);
    crypto::seeded_random random(1919);
    station st(random, zone, false, date);
    st.start({});
    st.set_up();
    st.open();
    REQUIRE(st.status().at("training") == false);
    REQUIRE(st.status().at("state") == "open");

    auto close = st.request({{"command", "close"}, {"id", 7}});
    INFO(boost::json::serialize(close));
    CHECK(test_support::error_code_of(close) == "appliance.too_early");
    CHECK(close.at("id") == 7);
    CHECK_FALSE(close.at("error").at("message").as_string().empty());
    CHECK(st.status().at("state") == "open");

    // A second try is refused the same way; both are in the ledger as refused commands.
    CHECK(test_support::error_code_of(st.request({{"command", "close"}})) == "appliance.too_early");
    CHECK(st.daemon->stop() == 0);
    int refused_closes = 0;
    for (const auto& body : bodies_of(st.ledger_path(), ledger::event_type::operator_command))
        if (body.at("command") == "close") {
            CHECK(body.at("outcome") == "refused");
            CHECK(body.at("error") == "appliance.too_early");
            ++refused_closes;
        }
    CHECK(refused_closes == 2);
    auto c = count_ledger(st.ledger_path());
    CHECK(c.opening == 1);
    CHECK(c.closing == 0);
}

}  // namespace
