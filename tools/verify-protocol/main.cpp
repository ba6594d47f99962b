// ballotbox-verify-protocol: the auditor's and observer's check of a precinct protocol
// (an export directory or the QR codes' texts). See protocol/verify_protocol.h.
#include <iostream>
#include <string>
#include <vector>

#include "protocol/verify_protocol.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return ballotbox::protocol::run_verify_protocol(args, std::cout, std::cerr);
}
