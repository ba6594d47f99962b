// box_order: the statistical check that the ballot box's keys are spread as uniformly random
// 16-byte keys would be, so the box's stored (key) order says nothing about the cast order.
//
// What it can show: keys made from a counter, a clock or any other value that grows with the
// cast order share long prefixes between neighbours and crowd into few ranges; both are
// caught (false alarm probability below 2^-40 for the prefix test, about 1e-10 for the
// spread test). What it cannot show: keys that look random but are computed from the cast
// position with a secret (e.g. an encrypted counter) pass; only the appliance's code and its
// random source rule that out. The schema (WITHOUT ROWID, no time or counter column) is
// checked by ledger::verify.
//
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "ledger/ballot_box.h"

namespace ballotbox::audit {

struct box_order_finding {
    bool spread_ok = true;
    std::string what;      // the failing test in words, or the figures when it holds
    std::string expected;  // on failure
    std::string found;
};

// keys in box-key order (as the ledger reads the box).
box_order_finding check_key_spread(std::span<const ledger::box_key> keys_in_order);

}  // namespace ballotbox::audit
