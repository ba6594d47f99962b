// ballotbox: the operator CLI for ballotboxd (see cli_commands.h and `ballotbox --help`),
// and the offline commands for auditors and commissions, which need no daemon:
//   ballotbox audit ...            (audit/cli.h, docs/audit.md)
//   ballotbox verify-protocol ...  (protocol/verify_protocol.h, docs/protocol-format.md)
//   ballotbox tally ...            (tally/run_tally.h, docs/tally.md)
#include <iostream>
#include <string>
#include <vector>

#include "audit/cli.h"
#include "protocol/verify_protocol.h"
#include "tally/run_tally.h"
#include "tools/ballotbox/cli_commands.h"

int main(int argc, char** argv) {
    const std::string command = argc > 1 ? argv[1] : "";
    // Each offline command takes its own name as argv[0], as its own executable would.
    if (command == "audit")
        return ballotbox::audit::run_audit(argc - 1, argv + 1);
    if (command == "tally")
        return ballotbox::tally::run_tally(argc - 1, argv + 1);
    if (command == "verify-protocol")
        return ballotbox::protocol::run_verify_protocol(
            std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
    return ballotbox::cli::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
