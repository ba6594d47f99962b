#include "tools/ballotbox/watch_view.h"

#include <boost/json/value.hpp>

namespace ballotbox::cli {

namespace {

constexpr const char* reset = "\x1b[0m";
constexpr const char* clear = "\x1b[H\x1b[2J";

std::string safe(std::string_view text) {
    std::string out;
    for (unsigned char c : text)
        out.push_back(c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c));
    return out;
}

std::string str(const boost::json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? safe(v->get_string()) : std::string();
}

long long num(const boost::json::object& o, const char* name, long long fallback = 0) {
    const auto* v = o.if_contains(name);
    if (v == nullptr)
        return fallback;
    if (v->is_int64())
        return v->get_int64();
    if (v->is_uint64())
        return static_cast<long long>(v->get_uint64());
    return fallback;
}

bool flag(const boost::json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    return v != nullptr && v->is_bool() && v->get_bool();
}

std::string localized(const boost::json::object& o, const char* name, const std::string& lang) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_object())
        return {};
    std::string text = str(v->get_object(), lang.c_str());
    return text.empty() ? str(v->get_object(), "en") : text;
}

// Two lines of DEC double-height, double-width text (top and bottom halves).
std::string big(const std::string& text, const char* colour) {
    std::string out;
    out += std::string("\x1b#3") + colour + " " + text + " " + reset + "\r\n";
    out += std::string("\x1b#4") + colour + " " + text + " " + reset + "\r\n";
    return out;
}

std::string card_block(const boost::json::object& card, const std::string& lang) {
    const std::string outcome = str(card, "outcome");
    std::string head = localized(card, "headline", lang);
    const char* colour = "\x1b[1;97;42m";  // bold white on green
    if (outcome == "accepted") {
        head = "ACCEPTED #" + std::to_string(num(card, "running_number"));
    } else if (outcome == "issued") {
        head = "ISSUED";
    } else if (outcome == "cancelled") {
        head = "CANCELLED";
    } else if (outcome == "already_recorded") {
        head = "ALREADY RECORDED";
        colour = "\x1b[1;30;46m";
    } else if (outcome == "not_voted_yet") {
        head = "NOT VOTED YET";
        colour = "\x1b[1;30;43m";  // black on yellow
    } else {
        head = "REFUSED: " + head;
        colour = "\x1b[1;97;41m";  // white on red
    }
    std::string out = big(head, colour);
    if (outcome != "accepted" && outcome != "issued")
        out += "  " + localized(card, "headline", lang) + "\r\n";
    out += "  " + localized(card, "what_to_do", lang) + "\r\n";
    if (outcome == "not_voted_yet")
        out +=
            "  \x1b[1mPress C to cancel this card\x1b[0m (only if its voter will not vote "
            "with it)\r\n";
    return out;
}

}  // namespace

std::string format_duration(long long seconds) {
    if (seconds <= 0)
        return "0m 00s";
    const long long h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60;
    char out[48];
    if (h > 0)
        std::snprintf(out, sizeof(out), "%lldh %02lldm", h, m);
    else
        std::snprintf(out, sizeof(out), "%lldm %02llds", m, s);
    return out;
}

std::string render_watch(const watch_screen& screen) {
    const auto& s = screen.status;
    std::string out = clear;
    if (flag(s, "training"))
        out += big("TRAINING", "\x1b[1;30;43m");
    out += "\x1b[1mballotbox\x1b[0m  station " + str(s, "station_id") + "  state: \x1b[1m" +
           str(s, "state") + "\x1b[0m";
    if (!str(s, "now_local").empty())
        out += "  " + str(s, "now_local");
    out += "\r\n";
    if (!screen.connected)
        out += "\x1b[1;97;41m the appliance is unreachable \x1b[0m\r\n";
    if (str(s, "pcsc") == "down")
        out += "\x1b[1;97;41m card service (pcscd) is down \x1b[0m\r\n";
    else if (s.if_contains("table_reader") == nullptr || s.at("table_reader").is_null())
        out += "\x1b[1;97;41m no card reader at the table: plug it in \x1b[0m\r\n";
    out += "\r\n";
    if (screen.last_card)
        out += card_block(*screen.last_card, screen.lang);
    else
        out += big("READY", "\x1b[1;97;44m") + "  insert a card\r\n";
    out += "\r\n";
    if (const auto* counts = s.if_contains("counts"); counts != nullptr && counts->is_object()) {
        const auto& c = counts->get_object();
        out += "  issued \x1b[1m" + std::to_string(num(c, "issued")) + "\x1b[0m   cast \x1b[1m" +
               std::to_string(num(c, "cast")) + "\x1b[0m   cancelled \x1b[1m" +
               std::to_string(num(c, "cancelled")) + "\x1b[0m   outstanding " +
               std::to_string(num(c, "outstanding")) + "\r\n";
    }
    if (s.contains("time_to_close_seconds"))
        out += "  polls close in \x1b[1m" + format_duration(num(s, "time_to_close_seconds")) +
               "\x1b[0m (" + str(s, "closes_at_local") + ")\r\n";
    else if (!str(s, "closes_at_local").empty())
        out += "  polls close at " + str(s, "closes_at_local") + "\r\n";
    out += "  next card's ballots: \x1b[1m" + str(s, "next_style") + "\x1b[0m\r\n\r\n";
    out +=
        "  keys:  S switch the next card's ballots   C cancel the card in the reader   "
        "Q quit\r\n";
    if (!screen.notice.empty())
        out += "\r\n  " + safe(screen.notice) + "\r\n";
    return out;
}

}  // namespace ballotbox::cli
