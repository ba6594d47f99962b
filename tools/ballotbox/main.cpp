// ballotbox: the operator CLI for ballotboxd (see cli_commands.h and `ballotbox --help`).
#include <string>
#include <vector>

#include "tools/ballotbox/cli_commands.h"

int main(int argc, char** argv) {
    return ballotbox::cli::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
