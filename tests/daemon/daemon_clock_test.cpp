// daemon_clock and ledger_time: a training clock armed at a restart resumes from the latest
// instant the ledger holds instead of going back to its configured start; a later configured
// start is honoured. The ledger is made in process by a poll_day on a manual clock.
#include "appliance/daemon/daemon_clock.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "appliance/daemon/ledger_time.h"
#include "appliance/poll_day.h"
#include "appliance/state_files.h"
#include "crypto/random.h"
#include "election/local_time.h"
#include "tests/daemon/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace ballotbox;
using namespace std::chrono_literals;

constexpr const char* almaty = "Asia/Almaty";  // UTC+6 on 2023-03-19

time_point utc(std::int64_t unix_seconds) {
    return time_point(std::chrono::seconds(unix_seconds));
}

// 2023-03-19 09:00 +06:00.
constexpr std::int64_t nine_am = 1679194800;

daemon::daemon_clock clock_from_nine(std::uint32_t speed) {
    auto start = daemon::parse_training_clock_start("2023-03-19T09:00");
    REQUIRE(start.ok());
    return daemon::daemon_clock(*start, speed);
}

TEST_CASE("a training clock with no ledger behind it starts at the configured local time") {
    auto clock = clock_from_nine(1);
    REQUIRE(clock.arm(almaty).ok());
    CHECK_FALSE(clock.resumed());
    REQUIRE(clock.started_at().has_value());
    CHECK(*clock.started_at() == utc(nine_am));
    CHECK(clock.now() >= utc(nine_am));
    CHECK(clock.now() < utc(nine_am) + 1h);
}

TEST_CASE("a training clock resumes from the ledger's latest time when that is later") {
    auto clock = clock_from_nine(60);
    const auto latest = utc(nine_am) + 3h + 17min;
    REQUIRE(clock.arm(almaty, latest).ok());
    CHECK(clock.resumed());
    CHECK(*clock.started_at() == latest);
    CHECK(clock.now() >= latest);
    CHECK(election::format_local(almaty, clock.now()).starts_with("2023-03-19 12:"));
}

TEST_CASE("a configured start later than the ledger's latest time is honoured") {
    auto clock = clock_from_nine(1);
    REQUIRE(clock.arm(almaty, utc(nine_am) - 2h).ok());
    CHECK_FALSE(clock.resumed());
    CHECK(*clock.started_at() == utc(nine_am));
}

TEST_CASE("no state directory, no ledger: no recorded time") {
    test_support::temp_dir dir("ballotbox-ledger-time");
    auto latest = daemon::latest_recorded_time(dir.path() / "ledger.sqlite");
    REQUIRE(latest.ok());
    CHECK_FALSE(latest->has_value());
}

TEST_CASE("the latest recorded time follows the poll day's timed entries") {
    test_support::temp_dir dir("ballotbox-ledger-time");
    const auto state = dir.path() / "state";
    const auto ledger_path = state / appliance::ledger_file_name;
    auto key = crypto::ed25519_public_key::load(test_daemon::training_commission_key());
    REQUIRE(key.ok());
    manual_clock clock(utc(nine_am));
    crypto::seeded_random random(31);
    appliance::poll_day_config config{.state_dir = state,
                                      .commission_key = *key,
                                      .expected_station_id = std::nullopt,
                                      .clock = &clock,
                                      .random = &random};
    auto day = appliance::poll_day::start(config);
    REQUIRE_MESSAGE(day.ok(), day.err().message);
    auto summary = day->setup(test_daemon::read_text(test_daemon::training_package_path()));
    REQUIRE_MESSAGE(summary.ok(), summary.err().message);

    clock.set(utc(nine_am) + 5min);
    REQUIRE(day->open(test_daemon::training_secret).ok());
    auto latest = daemon::latest_recorded_time(ledger_path);
    REQUIRE_MESSAGE(latest.ok(), latest.err().message);
    REQUIRE(latest->has_value());
    CHECK(**latest == utc(nine_am) + 5min);  // the opening

    clock.set(utc(nine_am) + 1h + 30s);  // past the 10:00 turnout report
    REQUIRE(day->tick().ok());
    latest = daemon::latest_recorded_time(ledger_path);
    REQUIRE(latest.ok());
    CHECK(**latest == utc(nine_am) + 1h + 30s);  // the report's written_at (its `at` is 10:00)

    clock.set(utc(nine_am) + 2h);
    REQUIRE(day->close().ok());  // training: the chair may close early
    latest = daemon::latest_recorded_time(ledger_path);
    REQUIRE(latest.ok());
    CHECK(**latest == utc(nine_am) + 2h);
}

}  // namespace
