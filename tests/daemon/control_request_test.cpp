// parse_control_request: every command's arguments, strict types, and the secret's copy.
#include "appliance/daemon/control_request.h"

#include <doctest/doctest.h>

#include <set>

#include "appliance/daemon/daemon_options.h"
#include "appliance/daemon/event_log.h"

using namespace ballotbox::daemon;

TEST_CASE("each command parses with its argument and an echoed id") {
    auto setup = parse_control_request(R"({"command":"setup","package":"{}","id":"a"})");
    REQUIRE(setup.ok());
    CHECK(setup->command == control_command::setup);
    CHECK(setup->package == "{}");
    CHECK(setup->id == "a");
    auto open = parse_control_request(R"({"command":"open","secret":"s3cret"})");
    REQUIRE(open.ok());
    CHECK(open->secret.size() == 6);
    CHECK(open->id.is_null());
    auto style = parse_control_request(R"({"command":"style","style":"both"})");
    REQUIRE(style.ok());
    CHECK(style->style == "both");
    for (const char* name : {"status", "close", "cancel", "watch", "print", "export"}) {
        auto r = parse_control_request(std::string(R"({"command":")") + name + "\"}");
        REQUIRE(r.ok());
        CHECK(std::string(to_string(r->command)) == name);
    }
}

TEST_CASE("arguments are checked per command") {
    CHECK(parse_control_request(R"({"command":"status","package":"x"})").err().code ==
          "control.unknown_member");
    CHECK(parse_control_request(R"({"command":"setup"})").err().code == "control.missing_argument");
    CHECK(parse_control_request(R"({"command":"setup","package":""})").err().code ==
          "control.bad_argument");
    CHECK(parse_control_request(R"({"command":"open","secret":null})").err().code ==
          "control.bad_argument");
    CHECK(parse_control_request(R"({"command":"style","style":")" + std::string(65, 's') + "\"}")
              .err()
              .code == "control.bad_argument");
    CHECK(parse_control_request(R"({"command":"status","id":-1})").ok());
    CHECK(parse_control_request(R"({"command":"status","id":true})").err().code ==
          "control.bad_argument");
    CHECK(parse_control_request(R"({"command":"STATUS"})").err().code == "control.unknown_command");
}

TEST_CASE("size bounds: small commands 16 KiB, setup 2 MiB") {
    const std::string pad(max_small_line_bytes, ' ');
    CHECK(parse_control_request(R"({"command":"status"})" + pad).err().code ==
          "control.line_too_long");
    const std::string package(max_small_line_bytes * 4, 'p');
    CHECK(parse_control_request(R"({"command":"setup","package":")" + package + "\"}").ok());
    const std::string too_big(max_line_bytes, 'p');
    CHECK(parse_control_request(R"({"command":"setup","package":")" + too_big + "\"}").err().code ==
          "control.line_too_long");
}

TEST_CASE("log events: unique names and 128-bit message ids, in enum order") {
    std::set<std::string> names, ids;
    for (std::size_t i = 0; i < all_log_events().size(); ++i) {
        const auto& e = all_log_events()[i];
        CHECK(static_cast<std::size_t>(e.kind) == i);
        CHECK(&info(e.kind) == &e);
        const std::string id = e.message_id;
        CHECK(id.size() == 32);
        CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
        names.insert(e.name);
        ids.insert(id);
    }
    CHECK(names.size() == all_log_events().size());
    CHECK(ids.size() == all_log_events().size());
    CHECK(choose_log_sink("journal") == log_sink::journal);
    CHECK(choose_log_sink("stderr") == log_sink::stderr_text);
}

TEST_CASE("daemon options: defaults, training clock and usage errors") {
    auto defaults = parse_daemon_options({});
    REQUIRE(defaults.ok());
    CHECK(defaults->socket_path == "/run/ballotbox/control.sock");
    CHECK_FALSE(defaults->training_clock_start_at.has_value());
    auto training = parse_daemon_options(
        {"--training-clock-start=2023-03-19T06:55", "--training-clock-speed=60", "--log=journal"});
    REQUIRE(training.ok());
    CHECK(training->training_clock_start_at->time.hour == 6);
    CHECK(training->training_clock_start_at->time.minute == 55);
    CHECK(training->training_clock_speed == 60u);
    for (std::vector<std::string> bad :
         {std::vector<std::string>{"--training-clock-speed=60"},
          {"--training-clock-start=2023-03-19 06:55"},
          {"--training-clock-start=2023-02-30T06:55"},
          {"--training-clock-start=2023-03-19T06:55", "--training-clock-speed=0"},
          {"--log=syslog"},
          {"--no-such-option"},
          {"--socket="}}) {
        CAPTURE(bad.front());
        auto parsed = parse_daemon_options(bad);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.err().code == "daemon.bad_usage");
    }
}
