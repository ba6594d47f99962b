// verify_bodies: fast, exact recognisers for the event bodies verify() meets most often, so
// the chain walk need not parse every short body with Boost.JSON and serialise it again.
//
// Each recogniser either proves the text is acceptable, with the same outcome the full path
// (canonical_json.h, bodies.h) would give, or declines (nullopt / false) and leaves the
// decision, and its exact error, to the full path. They never accept a text the full path
// refuses; they may decline texts the full path accepts (anything outside their subset).
// They read only inside the given text. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "ledger/bodies.h"

namespace ballotbox::ledger {

// True when text is a canonical JSON object of the flat subset: members with plain names
// (printable ASCII but '"' and '\\'), in strictly increasing byte order (= UTF-16 order for
// ASCII), each value an integer of at most 18 digits without leading zeros (no "-0"), a
// plain string as for names, true, false or null. Any such text is exactly its own
// canonical form, so parse_canonical_json accepts it.
bool is_flat_canonical_object(std::string_view text);

// The cast body {"source":0|1,"window_start":<integer>} in its one canonical spelling, or
// nullopt (the full parse_cast_body then decides).
std::optional<cast_body> fast_cast_body(std::string_view text);

}  // namespace ballotbox::ledger
