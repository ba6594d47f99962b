#include "election/local_time.h"

#include <date/tz.h>

#include <charconv>
#include <exception>

namespace ballotbox::election {
namespace {

bool parse_digits(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size())
        return false;
    for (std::size_t i = pos; i < pos + len; ++i)
        if (text[i] < '0' || text[i] > '9')
            return false;
    std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return true;
}

const date::time_zone* find_zone(std::string_view zone_name) {
    try {
        return date::locate_zone(zone_name);
    } catch (const std::exception&) {
        return nullptr;
    }
}

}  // namespace

result<local_date> parse_local_date(std::string_view text) {
    int y, m, d;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !parse_digits(text, 0, 4, y) ||
        !parse_digits(text, 5, 2, m) || !parse_digits(text, 8, 2, d))
        return make_error("election.bad_date",
                          "the date \"" + std::string(text) + "\" is not of the form YYYY-MM-DD");
    date::year_month_day ymd{date::year{y}, date::month{unsigned(m)}, date::day{unsigned(d)}};
    if (!ymd.ok() || y < 2000 || y > 2200)
        return make_error("election.bad_date",
                          "the date \"" + std::string(text) + "\" is not a real date");
    return local_date{y, unsigned(m), unsigned(d)};
}

result<local_time_of_day> parse_time_of_day(std::string_view text) {
    int h, m;
    if (text.size() != 5 || text[2] != ':' || !parse_digits(text, 0, 2, h) ||
        !parse_digits(text, 3, 2, m) || h > 23 || m > 59)
        return make_error("election.bad_time", "the time \"" + std::string(text) +
                                                   "\" is not of the form HH:MM (00:00-23:59)");
    return local_time_of_day{unsigned(h), unsigned(m)};
}

status check_time_zone(std::string_view zone_name) {
    if (!find_zone(zone_name))
        return make_error("election.unknown_time_zone",
                          "the time zone \"" + std::string(zone_name) +
                              "\" is not in this machine's time-zone database");
    return ok_status();
}

result<time_point> local_to_utc(std::string_view zone_name, const local_date& d,
                                const local_time_of_day& t) {
    const date::time_zone* zone = find_zone(zone_name);
    if (!zone) {
        BALLOTBOX_TRY(check_time_zone(zone_name));
    }
    date::local_days day{date::year{d.year} / date::month{d.month} / date::day{d.day}};
    auto local = day + std::chrono::hours{t.hour} + std::chrono::minutes{t.minute};
    auto info = zone->get_info(local);
    std::string when = std::to_string(t.hour) + ":" + (t.minute < 10 ? "0" : "") +
                       std::to_string(t.minute) + " in " + std::string(zone_name);
    if (info.result == date::local_info::nonexistent)
        return make_error("election.nonexistent_local_time",
                          when + " does not exist that day (the clocks skip it)");
    if (info.result == date::local_info::ambiguous)
        return make_error("election.ambiguous_local_time",
                          when + " happens twice that day (the clocks go back)");
    auto utc = date::sys_time<std::chrono::seconds>{local.time_since_epoch()} - info.first.offset;
    return std::chrono::time_point_cast<std::chrono::microseconds>(utc);
}

std::string format_local(std::string_view zone_name, time_point instant) {
    const date::time_zone* zone = find_zone(zone_name);
    auto secs = std::chrono::time_point_cast<std::chrono::seconds>(instant);
    if (!zone)
        return date::format("%F %T UTC", secs);
    return date::format("%F %T %z", date::make_zoned(zone, secs));
}

}  // namespace ballotbox::election
