// apdu_status: what an ISO 7816-4 status word (SW1-SW2) means, as an error value.
//
// Every status word maps to exactly one error code: the named ISO 7816-4 conditions get a
// named code ("card.file_not_found" for 6A82, "card.wrong_length" for 67xx, ...), the rest
// of each class a class code ("card.command_not_allowed" for other 69xx, ...), and anything
// outside the ISO classes "card.unexpected_status". The message names the status word in hex
// and says what the poll worker can do about it. 9000 is the only plain success; 61xx and
// 6Cxx are procedure bytes that iso7816 resolves itself (they only surface here if a card
// misbehaves).
//
// Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace ballotbox::cardio {

inline constexpr std::uint16_t sw_success = 0x9000;

// The error for a status word other than 9000. `operation` names what was being done ("reading
// the ballot file") and is put at the start of the message.
error status_word_error(std::uint16_t sw, std::string_view operation);

// ok for 9000, status_word_error(sw, operation) otherwise.
status check_status_word(std::uint16_t sw, std::string_view operation);

}  // namespace ballotbox::cardio
