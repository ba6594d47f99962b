// daemon_options: ballotboxd's command line (Boost.Program_options), parsed strictly.
//
// parse_daemon_options() returns the options, or daemon.bad_usage with a message naming
// the offending option (also: an empty or over-long --table-reader, more than 16 of them); --help
// and --version are reported through `help_requested` / `version_requested` with the text in
// `help_text`. The training clock options are only parsed here (their time is local to the station,
// known once a package is loaded); whether they are allowed is decided against the package
// (training packages only). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "election/local_time.h"

namespace ballotbox::daemon {

struct training_clock_start {
    election::local_date date;
    election::local_time_of_day time;
};

inline constexpr std::size_t max_table_readers = 16;

struct daemon_options {
    std::filesystem::path state_dir = "/var/lib/ballotbox";
    std::filesystem::path socket_path = "/run/ballotbox/control.sock";
    std::optional<std::string> socket_group;
    std::filesystem::path commission_key = "/etc/ballotbox/commission.pub.pem";
    std::optional<std::string> station_id;
    // --table-reader, once per reader at the table: each a part of a reader's name; every
    // reader matching one is a table reader. Empty: the first reader PC/SC reports.
    std::vector<std::string> table_readers;
    std::optional<std::string> printer;  // CUPS queue for print; none: save the PDF
    std::optional<training_clock_start> training_clock_start_at;
    std::optional<std::uint32_t> training_clock_speed;
    std::string log = "auto";  // stderr | journal | auto

    bool help_requested = false;
    bool version_requested = false;
    std::string help_text;
};

result<daemon_options> parse_daemon_options(const std::vector<std::string>& args);

// "2023-03-19T06:55" (strict; local to the station).
result<training_clock_start> parse_training_clock_start(const std::string& text);

}  // namespace ballotbox::daemon
