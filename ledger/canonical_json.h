// canonical_json: the one text form of an event body that the ledger hashes and stores.
//
// Canonical form: common/canonical_json.h (RFC 8785 for objects, arrays, strings, booleans,
// null and integers; floats refused). A body is always a JSON object at the top level and
// at most 1 MiB.
// to_canonical_json refuses floats; parse_canonical_json accepts a text only if it is
// exactly the canonical form of what it parses to, so every body has one accepted spelling.
//
// Pure functions, thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ballotbox::ledger {

// Errors: "ledger.body_not_canonical" (a float anywhere in the value).
result<std::string> to_canonical_json(const boost::json::value& value);

// Errors: "ledger.body_not_json" (does not parse), "ledger.body_not_object",
// "ledger.body_not_canonical" (parses, but is not the canonical spelling).
result<boost::json::object> parse_canonical_json(std::string_view text);

}  // namespace ballotbox::ledger
