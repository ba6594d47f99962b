// Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) for the subset ballotbox uses:
// objects, arrays, strings, booleans, null and integers. Floating-point numbers are refused,
// so every document has exactly one byte form, which is what gets hashed and signed.
//
// canonical_json(): object members sorted by the UTF-16 code units of their names, no
// whitespace, strings escaped as RFC 8785 section 3.2.2.2 requires (only '"', '\\' and
// control characters; everything else as literal UTF-8).
// parse_json_strict(): parses text with Boost.JSON and refuses duplicate member names,
// invalid UTF-8, floating-point numbers, and documents over a size bound.
//
// Pure functions; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ballotbox {

result<std::string> canonical_json(const boost::json::value& value);

result<boost::json::value> parse_json_strict(std::string_view text,
                                             std::size_t max_bytes = 4 * 1024 * 1024);

}  // namespace ballotbox
