// ballotbox-tally: see tally/run_tally.h and docs/tally.md.
#include "tally/run_tally.h"

int main(int argc, char** argv) {
    return ballotbox::tally::run_tally(argc, argv);
}
