// vpcd: the wire protocol between the vsmartcard vpcd reader driver (inside pcscd) and a
// virtual card, as vsmartcard 3.3 (Debian's vsmartcard-vpcd) speaks it.
//
// vpcd listens on TCP; the card connects: connected means "card inserted", closed means
// "card removed". Debian's /etc/reader.conf.d/vpcd gives CHANNELID 0x8C7B (35963), and the
// driver serves slot n on port 35963 + n: reader "Virtual PCD 00 00" on 35963 and
// "Virtual PCD 00 01" on 35964.
//
// Every message, both ways, is a 2-byte big-endian length and that many bytes. From vpcd:
// a 1-byte message is a control code — 00 power off, 01 power on, 02 reset (no answer to
// these three), 04 get ATR (answered with the ATR); anything longer is a command APDU,
// answered with the response APDU. vpcd polls card presence with get ATR; an answer of
// length 0 (or a closed connection) makes it drop the card. A card that disconnects while
// vpcd waits for its response APDU reaches the PC/SC client as a *successful*
// SCardTransmit with 0 bytes (vpcd 3.3 reads 0 bytes and reports success); only the next
// call sees the card gone (observed through Debian's pcscd 1.9.9, tests/pcsc).
//
// Plain constants and pure functions; no state.
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.h"

namespace ballotbox::cardsim::vpcd {

constexpr std::uint16_t base_port = 35963;
constexpr int reader_count = 2;
constexpr std::uint16_t reader_port(int reader) {
    return static_cast<std::uint16_t>(base_port + reader);
}

constexpr std::uint8_t ctrl_power_off = 0x00;
constexpr std::uint8_t ctrl_power_on = 0x01;
constexpr std::uint8_t ctrl_reset = 0x02;
constexpr std::uint8_t ctrl_get_atr = 0x04;

constexpr std::size_t max_message = 0xFFFF;

// The 2-byte length and the payload (payload.size() <= max_message, else nullopt).
std::optional<bytes> frame(byte_view payload);

// The length announced by a 2-byte header.
inline std::size_t message_length(std::uint8_t hi, std::uint8_t lo) {
    return (static_cast<std::size_t>(hi) << 8) | lo;
}

}  // namespace ballotbox::cardsim::vpcd
