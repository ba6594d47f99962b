// apdu: ISO 7816-4 short command and response APDUs as values, and their byte encodings.
//
// A command_apdu is encoded only if it fits the short form: a data field of 0..255 bytes
// (Lc 1..255, omitted when empty) and an expected length Le of 0 (absent) or 1..256 (256
// is encoded as 00). Anything else is refused with its own error, so a caller never sends a
// command the card would misread. A response is split into its data and the status word
// SW1-SW2; a response shorter than 2 bytes or longer than 256 + 2 bytes is refused.
//
// Plain value types and pure functions: safe from any thread, nothing is left behind.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardio {

inline constexpr std::size_t max_short_lc = 255;
inline constexpr std::size_t max_short_le = 256;
inline constexpr std::size_t max_short_response = max_short_le + 2;

struct command_apdu {
    std::uint8_t cla = 0x00;
    std::uint8_t ins = 0x00;
    std::uint8_t p1 = 0x00;
    std::uint8_t p2 = 0x00;
    bytes data;          // the command data field; its size is Lc (empty: no Lc)
    std::size_t le = 0;  // bytes expected back: 0 = no Le field, 1..256

    friend bool operator==(const command_apdu&, const command_apdu&) = default;
};

struct response_apdu {
    bytes data;
    std::uint16_t sw = 0;

    std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw & 0xff); }
    friend bool operator==(const response_apdu&, const response_apdu&) = default;
};

// The short-form bytes of a command (cases 1, 2, 3 and 4 of ISO 7816-3).
// Errors: card.apdu_data_too_long (more than 255 data bytes), card.apdu_le_too_large (Le
// above 256).
result<bytes> encode_command(const command_apdu& command);

// Splits a card's answer into data and SW1-SW2.
// Errors: card.response_too_short (fewer than 2 bytes), card.response_too_long (more than
// 258 bytes: not a short-APDU answer).
result<response_apdu> parse_response(byte_view raw);

// The encoded form of a response (data followed by SW1 SW2), for card models and tests.
bytes encode_response(const response_apdu& response);

}  // namespace ballotbox::cardio
