// cli_commands: the `ballotbox` subcommands. Each takes its own arguments (after the
// subcommand name), talks to ballotboxd through control_client and returns the exit code:
//   0 done; 1 refused by the appliance (the reason is printed); 2 bad usage;
//   3 the appliance is unreachable (no daemon, no permission, connection lost).
// Output: human text on stdout, errors on stderr; --json prints the daemon's response.
// Not thread-safe (uses the terminal).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ballotbox::cli {

enum exit_code { exit_ok = 0, exit_refused = 1, exit_usage = 2, exit_unreachable = 3 };

struct global_options {
    std::filesystem::path socket = "/run/ballotbox/control.sock";
    bool json = false;
};

int run_cli(const std::vector<std::string>& args);

int cmd_setup(const global_options& g, const std::vector<std::string>& args);
int cmd_open(const global_options& g, const std::vector<std::string>& args);
int cmd_simple(const global_options& g, const std::string& command,
               const std::vector<std::string>& args);
int cmd_style(const global_options& g, const std::vector<std::string>& args);
int cmd_watch(const global_options& g, const std::vector<std::string>& args);
// print protocol [--copies N]; export --to DIR (tools/ballotbox/protocol_commands.cpp).
int cmd_print(const global_options& g, const std::vector<std::string>& args);
int cmd_export(const global_options& g, const std::vector<std::string>& args);
// portable-kit, register-portable, import-portable, portable-not-used
// (tools/ballotbox/portable_commands.cpp).
int cmd_portable(const global_options& g, const std::string& command,
                 const std::vector<std::string>& args);

}  // namespace ballotbox::cli
