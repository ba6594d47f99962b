// cli_support: the plumbing every `ballotbox` subcommand shares: the common options
// (--help, --socket, --json), strict parsing of a subcommand's arguments, usage errors, and one
// request/response exchange with ballotboxd that reports an unreachable daemon or a refusal on
// stderr in words for the operator (or prints the raw response with --json).
// Not thread-safe (uses the terminal).
#pragma once

#include <boost/json/object.hpp>
#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tools/ballotbox/cli_commands.h"

namespace ballotbox::cli {

// Prints "ballotbox: MESSAGE (see ballotbox --help)" and returns exit_usage.
int usage_error(const std::string& message);

// The whole file if it has at most max bytes; otherwise nullopt with `why` for the operator.
std::optional<std::string> read_file_bounded(const std::string& path, std::size_t max,
                                             std::string& why);

// --help, --socket PATH and --json under the given title.
boost::program_options::options_description common_options(const std::string& title);

// Parses a subcommand's arguments into g and the returned map; nullopt after printing the
// help (code = exit_ok) or a usage error (code = exit_usage).
std::optional<boost::program_options::variables_map> parse_subcommand(
    const std::vector<std::string>& args, const boost::program_options::options_description& d,
    global_options& g, int& code,
    const boost::program_options::positional_options_description* pos = nullptr);

struct request_outcome {
    int code = exit_unreachable;   // exit_ok, exit_refused or exit_unreachable
    boost::json::object response;  // empty when unreachable
};

// One exchange. Reports an unreachable daemon and a refusal on stderr; with --json prints the
// response on stdout whatever it says.
request_outcome send_request(const global_options& g, const boost::json::object& request);

}  // namespace ballotbox::cli
