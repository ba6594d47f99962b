// run_tally(): the `ballotbox-tally` command line (and `ballotbox tally`, which dispatches
// here in one line). See docs/tally.md for the options and exit codes:
//   ballotbox-tally --keys REGISTRY --commission-key PEM (--package FILE... | --package-dir DIR)
//                   [--json] [--nist FILE] [--threads N] [--exports DIR] [PROTOCOL_DIR...]
// Exit 0: every station of the election counted, nothing rejected; 3: report made, but with
// rejections, conflicts or missing stations; 1: nothing could be tallied (bad arguments,
// registry, packages); 2: usage. Writes the report to stdout, diagnostics to stderr.
#pragma once

namespace ballotbox::tally {

int run_tally(int argc, char** argv);

}  // namespace ballotbox::tally
