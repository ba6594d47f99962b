// Local time at the polling station: conversion between the station's IANA time zone (from
// the election package) and UTC instants, with the system's tz database (Debian tzdata)
// through Howard Hinnant's date/tz library (the C++20 <chrono> time-zone API, which g++ 12's
// libstdc++ does not have yet).
//
// A local time that does not exist (skipped by a daylight-saving change) or is ambiguous
// (repeated) is an error: a poll cannot open at a time that is not on the station's clocks.
// Thread-safe (the tz database is immutable once loaded).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace ballotbox::election {

struct local_date {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
};

struct local_time_of_day {
    unsigned hour = 0;
    unsigned minute = 0;
};

// "2023-03-19" and "07:00" (strict: zero-padded, in range).
result<local_date> parse_local_date(std::string_view text);
result<local_time_of_day> parse_time_of_day(std::string_view text);

status check_time_zone(std::string_view zone_name);

// The UTC instant of the given local date and time in the zone.
result<time_point> local_to_utc(std::string_view zone_name, const local_date& date,
                                const local_time_of_day& time);

// "2023-03-19 20:00:00 +0600" as the station's clocks show the instant.
std::string format_local(std::string_view zone_name, time_point instant);

}  // namespace ballotbox::election
