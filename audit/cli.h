// cli: `ballotbox audit` as a command: parses the arguments, runs the audit, prints the
// checks as they go (or one JSON object with --json) and returns the exit code:
//   0 verified complete; 1 tampered, inconsistent or incomplete; 2 unusable input or usage.
// Writes to the given streams only. Thread safety: as audit::run.
#pragma once

#include <iosfwd>

namespace ballotbox::audit {

// argv[0] is the command name ("audit" or the program); the options follow.
int run_audit(int argc, char** argv);
int run_audit(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace ballotbox::audit
