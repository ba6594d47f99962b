// The control protocol against a running ballotboxd (child process, temporary state dir,
// the signed training package): commands, refusals and hostile input.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "tests/daemon/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace ballotbox::test_daemon;
using ballotbox::test_support::temp_dir;

// Never touches a card: no reader has this name (other tests may use pcscd's readers).
const std::string no_reader = "--table-reader=no reader is called this (ballotbox tests)";

TEST_CASE("setup, wrong and right opening secret, status through the socket") {
    temp_dir dir("ballotbox-daemon");
    daemon_process daemon(dir.path(), {no_reader});
    auto c = daemon.client();

    auto status = c.request({{"command", "status"}, {"id", 7}});
    REQUIRE(is_ok(status));
    CHECK(status.at("id") == 7);
    CHECK(status.at("status").at("state") == "unconfigured");

    CHECK(error_code(c.request({{"command", "open"}, {"secret", training_secret}})) ==
          "appliance.not_set_up");

    auto setup = c.request({{"command", "setup"}, {"package", read_text(training_package_path())}});
    REQUIRE_MESSAGE(is_ok(setup), boost::json::serialize(setup));
    CHECK(setup.at("setup").at("training") == true);
    CHECK(setup.at("setup").at("station_id") == "astana-0001");
    CHECK(setup.at("status").at("state") == "set_up");

    CHECK(error_code(
              c.request({{"command", "setup"}, {"package", read_text(training_package_path())}})) ==
          "appliance.already_set_up");
    CHECK(error_code(c.request({{"command", "open"}, {"secret", "not-the-secret"}})) ==
          "appliance.wrong_secret");
    CHECK(error_code(c.request({{"command", "style"}, {"style", "no-such-style"}})) ==
          "appliance.unknown_style");
    CHECK(error_code(c.request({{"command", "cancel"}})) == "daemon.no_card");
    CHECK(error_code(c.request({{"command", "print"}})) == "daemon.no_report");
    CHECK(error_code(c.request({{"command", "export"}})) == "daemon.no_report");

    auto opened = c.request({{"command", "open"}, {"secret", training_secret}});
    REQUIRE_MESSAGE(is_ok(opened), boost::json::serialize(opened));
    const std::string state(opened.at("status").at("state").as_string());
    // The training package's day is in the past: open, or already past its closing time.
    CHECK((state == "open" || state == "closing"));
    CHECK(is_ok(c.request({{"command", "style"}, {"style", "party-list-only"}})));
    auto after = c.request({{"command", "status"}});
    CHECK(after.at("status").at("next_style") == "party-list-only");
    CHECK(after.at("status").at("counts").at("issued") == 0);

    // The state comes back from the ledger after a restart.
    CHECK(daemon.stop() == 0);
    daemon_process again(dir.path(), {no_reader});
    auto c2 = again.client();
    auto restarted = c2.request({{"command", "status"}});
    CHECK(restarted.at("status").at("state").as_string() == state);
    CHECK(restarted.at("status").at("training") == true);
    CHECK(again.log().find(training_secret) == std::string::npos);
}

TEST_CASE("hostile lines get errors and the daemon keeps serving") {
    temp_dir dir("ballotbox-daemon");
    daemon_process daemon(dir.path(), {no_reader});
    auto c = daemon.client();
    struct {
        std::string line;
        std::string code;
    } cases[] = {
        {"not json at all", "control.malformed_json"},
        {"", "control.malformed_json"},
        {"{\"command\":\"status\"", "control.malformed_json"},
        {"{\"command\":\"status\",\"command\":\"close\"}", "control.malformed_json"},
        {"{\"command\":1.5}", "control.malformed_json"},
        {"[\"status\"]", "control.not_an_object"},
        {"{}", "control.missing_command"},
        {"{\"command\":5}", "control.bad_argument"},
        {"{\"command\":\"rm -rf\"}", "control.unknown_command"},
        {"{\"command\":\"style\",\"style\":5}", "control.bad_argument"},
        {"{\"command\":\"style\"}", "control.missing_argument"},
        {"{\"command\":\"open\",\"secret\":[1]}", "control.bad_argument"},
        {"{\"command\":\"status\",\"extra\":1}", "control.unknown_member"},
        {"{\"command\":\"status\",\"id\":{}}", "control.bad_argument"},
        {std::string("\x00\x01\xff\xfe garbage \x1b[2J", 17), "control.malformed_json"},
        {"{\"command\":\"status\",\"id\":\"" + std::string(20000, 'x') + "\"}",
         "control.line_too_long"},
    };
    for (const auto& item : cases) {
        CAPTURE(item.code);
        REQUIRE(c.send_raw(item.line + "\n"));
        auto response = c.read_response();
        CHECK(error_code(response) == item.code);
        CHECK(response.at("ok") == false);
    }
    // Pipelined requests are answered in order on the same connection.
    REQUIRE(c.send_raw("{\"command\":\"status\",\"id\":1}\n{\"command\":\"status\",\"id\":2}\n"));
    CHECK(c.read_response().at("id") == 1);
    CHECK(c.read_response().at("id") == 2);

    // A line longer than the 2 MiB bound: an error, then the connection is closed.
    auto big = daemon.client();
    const std::string huge(3 * 1024 * 1024, 'A');
    big.send_raw(huge);  // the daemon may close before it has read everything
    CHECK(error_code(big.read_response()) == "control.line_too_long");
    CHECK_FALSE(big.read_line().has_value());

    CHECK(daemon.running());
    CHECK(is_ok(daemon.client().request({{"command", "status"}})));
}

TEST_CASE("more clients than the cap are refused and a closed one frees its place") {
    temp_dir dir("ballotbox-daemon");
    daemon_process daemon(dir.path(), {no_reader});
    std::vector<line_client> clients;
    for (int i = 0; i < 16; ++i) {
        clients.push_back(daemon.client());
        REQUIRE(is_ok(clients.back().request({{"command", "status"}})));
    }
    auto extra = daemon.client();
    CHECK(error_code(extra.read_response()) == "control.too_many_clients");
    CHECK_FALSE(extra.read_line().has_value());
    clients.pop_back();
    // The daemon notices the closed client when it reads its end of stream; retry a while.
    bool served = false;
    for (int i = 0; i < 200 && !served; ++i) {
        auto again = daemon.client();
        served = is_ok(again.request({{"command", "status"}}));
        if (!served)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(served);
}

TEST_CASE("a watcher gets the status first, then an event for each command") {
    temp_dir dir("ballotbox-daemon");
    daemon_process daemon(dir.path(), {no_reader});
    auto watcher = daemon.client();
    auto ack = watcher.request({{"command", "watch"}});
    CHECK(ack.at("watching") == true);
    auto first = ballotbox::parse_json_strict(*watcher.read_line());
    REQUIRE(first.ok());
    CHECK(first->at("event") == "status");
    CHECK(first->at("status").at("state") == "unconfigured");

    auto c = daemon.client();
    REQUIRE(
        is_ok(c.request({{"command", "setup"}, {"package", read_text(training_package_path())}})));
    bool saw_set_up = false;
    for (int i = 0; i < 50 && !saw_set_up; ++i) {
        auto line = watcher.read_line();
        REQUIRE(line.has_value());
        auto event = ballotbox::parse_json_strict(*line);
        REQUIRE(event.ok());
        saw_set_up = event->at("event") == "status" && event->at("status").at("state") == "set_up";
    }
    CHECK(saw_set_up);
}
}  // namespace
