// watch_view: the poll worker's full-screen view (`ballotbox watch`), drawn with plain
// ANSI/VT100 escape sequences.
//
// render_watch() turns the daemon's last status object and last card report (the JSON of
// docs/control-protocol.md) into one complete screen: the last card's result in large
// letters (DEC double-width/double-height lines, on green for accepted/issued/cancelled, on
// yellow for "not voted yet", on red for refusals) with what to do, the counts of issued,
// cast and cancelled, the time to the close, the next card's ballot style, the keys, and
// TRAINING on every screen of a training day. Texts come in the chosen language (en, ru,
// kk). Control characters in daemon-supplied text are replaced, so the daemon's strings
// cannot inject escape sequences. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

namespace ballotbox::cli {

struct watch_screen {
    boost::json::object status;                    // the last "status" event's object
    std::optional<boost::json::object> last_card;  // the last card report
    std::string notice;                            // a line about the last key's outcome
    std::string lang = "en";
    bool connected = true;
};

std::string render_watch(const watch_screen& screen);

// "2h 05m", "4m 10s", "closed": a duration in seconds for the screen.
std::string format_duration(long long seconds);

}  // namespace ballotbox::cli
