// The watch view's screen: large result per outcome, counts, keys, TRAINING, and no escape
// sequences smuggled in through the daemon's texts.
#include "tools/ballotbox/watch_view.h"

#include <doctest/doctest.h>

using namespace ballotbox::cli;

namespace {

boost::json::object card(const char* outcome) {
    return {{"outcome", outcome},
            {"running_number", 17},
            {"headline", boost::json::object{{"en", "Foreign station"}, {"ru", "Чужой участок"}}},
            {"what_to_do", boost::json::object{{"en", "Give the card back\x1b[2J"}}}};
}

watch_screen screen_with(const char* outcome) {
    watch_screen s;
    s.status = {
        {"state", "open"},
        {"training", true},
        {"station_id", "astana-0001"},
        {"counts",
         boost::json::object{{"issued", 5}, {"cast", 3}, {"cancelled", 1}, {"outstanding", 1}}},
        {"time_to_close_seconds", 3725},
        {"next_style", "both"},
        {"table_reader", "Virtual PCD 00 00"}};
    s.last_card = card(outcome);
    return s;
}

}  // namespace

TEST_CASE("watch view: each outcome's large line, counts, time to close and keys") {
    const auto accepted = render_watch(screen_with("accepted"));
    CHECK(accepted.find("\x1b#3\x1b[1;97;42m ACCEPTED #17 ") != std::string::npos);
    CHECK(accepted.find("TRAINING") != std::string::npos);
    CHECK(accepted.find("issued \x1b[1m5") != std::string::npos);
    CHECK(accepted.find("cast \x1b[1m3") != std::string::npos);
    CHECK(accepted.find("cancelled \x1b[1m1") != std::string::npos);
    CHECK(accepted.find("1h 02m") != std::string::npos);
    CHECK(accepted.find("S switch") != std::string::npos);

    const auto waiting = render_watch(screen_with("not_voted_yet"));
    CHECK(waiting.find("NOT VOTED YET") != std::string::npos);
    CHECK(waiting.find("Press C to cancel") != std::string::npos);

    const auto refused = render_watch(screen_with("refused"));
    CHECK(refused.find("REFUSED: Foreign station") != std::string::npos);
    CHECK(refused.find("\x1b[1;97;41m") != std::string::npos);
    // The daemon's text cannot clear the screen: its ESC became a space.
    CHECK(refused.find("Give the card back [2J") != std::string::npos);

    auto russian = screen_with("refused");
    russian.lang = "ru";
    CHECK(render_watch(russian).find("REFUSED: Чужой участок") != std::string::npos);
    CHECK(render_watch(screen_with("issued")).find(" ISSUED ") != std::string::npos);
}

TEST_CASE("watch view: no card yet, no reader, durations") {
    watch_screen s;
    s.status = {{"state", "set_up"}, {"table_reader", nullptr}};
    const auto text = render_watch(s);
    CHECK(text.find("READY") != std::string::npos);
    CHECK(text.find("no card reader at the table") != std::string::npos);
    CHECK(text.find("TRAINING") == std::string::npos);
    CHECK(format_duration(0) == "0m 00s");
    CHECK(format_duration(59) == "0m 59s");
    CHECK(format_duration(7200) == "2h 00m");
}
