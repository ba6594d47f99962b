// renamed_error: gives an error from a shared library the tally's own documented code
// (docs/tally.md) by swapping the code's prefix, e.g. "file.missing" -> "tally.file_missing"
// or "protocol.bad_member" -> "tally.protocol_bad_member". The message is kept as it is.
// A code without the prefix is left unchanged. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace ballotbox::tally {

inline error renamed_error(error e, std::string_view from_prefix, std::string_view to_prefix) {
    if (e.code.starts_with(from_prefix))
        e.code = std::string(to_prefix) + e.code.substr(from_prefix.size());
    return e;
}

}  // namespace ballotbox::tally
