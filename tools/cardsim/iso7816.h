// iso7816: the instruction bytes and status words (ISO/IEC 7816-4) the virtual card speaks.
//
// Plain constants; no state.
#pragma once

#include <cstdint>

namespace ballotbox::cardsim::iso7816 {

// Instruction bytes.
constexpr std::uint8_t ins_select = 0xA4;
constexpr std::uint8_t ins_read_binary = 0xB0;
constexpr std::uint8_t ins_update_binary = 0xD6;
constexpr std::uint8_t ins_get_response = 0xC0;

// Status words.
constexpr std::uint16_t sw_ok = 0x9000;
constexpr std::uint16_t sw_bytes_remaining = 0x6100;  // 61xx: xx more bytes via GET RESPONSE
constexpr std::uint16_t sw_end_of_file = 0x6282;      // end of file before Ne bytes were read
constexpr std::uint16_t sw_wrong_length = 0x6700;     // Lc/Le absent, present or wrong
constexpr std::uint16_t sw_channel_unsupported = 0x6881;
constexpr std::uint16_t sw_secure_messaging_unsupported = 0x6882;
constexpr std::uint16_t sw_chaining_unsupported = 0x6884;
constexpr std::uint16_t sw_conditions_not_satisfied = 0x6985;  // e.g. GET RESPONSE, none due
constexpr std::uint16_t sw_no_current_ef = 0x6986;
constexpr std::uint16_t sw_file_not_found = 0x6A82;
constexpr std::uint16_t sw_not_enough_memory = 0x6A84;  // write past the end of the EF
constexpr std::uint16_t sw_wrong_p1p2 = 0x6A86;
constexpr std::uint16_t sw_offset_outside_ef = 0x6B00;
constexpr std::uint16_t sw_wrong_le = 0x6C00;  // 6Cxx: re-send with Le = xx
constexpr std::uint16_t sw_ins_not_supported = 0x6D00;
constexpr std::uint16_t sw_cla_not_supported = 0x6E00;

}  // namespace ballotbox::cardsim::iso7816
