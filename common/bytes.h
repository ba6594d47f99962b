// Byte strings and their text forms (hex, standard base64 with padding).
//
// Decoders are strict: they accept only the canonical form (lower- or upper-case hex of even
// length; RFC 4648 base64 with correct padding and zero pad bits) and return an error for
// anything else, so a value has exactly one accepted encoding.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ballotbox {

using bytes = std::vector<std::uint8_t>;
using byte_view = std::span<const std::uint8_t>;

inline byte_view as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(byte_view b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline bytes to_bytes(std::string_view s) {
    auto v = as_bytes(s);
    return bytes(v.begin(), v.end());
}

std::string to_hex(byte_view data);
result<bytes> from_hex(std::string_view text);

std::string to_base64(byte_view data);
result<bytes> from_base64(std::string_view text);

// Constant-time comparison for MACs and secrets.
bool equal_constant_time(byte_view a, byte_view b);

}  // namespace ballotbox
