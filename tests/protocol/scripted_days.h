// scripted_days: the poll days the protocol tests share, with their known figures.
#pragma once

#include <filesystem>

#include "tests/protocol/protocol_day.h"

namespace ballotbox::test_support {

// The reference day (see tally_test.cpp for its expected lines): 9 voters with both
// ballots (one at the portable box), 2 with the party list only, one card cancelled, three
// issued and never returned, a turnout report at 10:00, 3 voters added at the close.
void run_reference_day(protocol_day& day);

}  // namespace ballotbox::test_support
