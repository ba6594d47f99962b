// card_io_wire: the messages between a card_session and its card I/O process (see
// card_session.h), one message per SOCK_SEQPACKET packet.
//
//   to the child    'R' reader name                connect to the card in this reader and
//                                                  begin a transaction (name: 1..255
//                                                  printable bytes)
//                   'T' apdu                       transmit one command APDU (4..261 bytes)
//                   'C'                            end the transaction and disconnect; the
//                                                  child then waits for the next 'R'
//   to the parent   'O' protocol                   session open; protocol 0x00 T=0, 0x01 T=1
//                   'A' answer                     the card's answer (0..258 bytes)
//                   'E' code 0x00 message          an error (code "card." + [a-z_.], 6..64
//                                                  bytes; message printable, 1..1024 bytes)
//                   'D'                            closed cleanly
//
// The parser is strict: an unknown kind, a length outside the kind's bounds, or a bad code or
// message is card.io_process_garbled. Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardio::card_io_wire {

inline constexpr std::size_t max_apdu = 261;    // short APDU: 4 + 1 + 255 + 1
inline constexpr std::size_t max_answer = 258;  // 256 data bytes + SW1 SW2
inline constexpr std::size_t max_message = 1 + 64 + 1 + 1024;

inline constexpr std::size_t max_reader_name = 255;

struct open_request {
    std::string reader;
};
struct transmit_request {
    bytes apdu;
};
struct close_request {};
using request = std::variant<open_request, transmit_request, close_request>;

struct opened {
    bool t0 = false;
};
struct answer {
    bytes apdu;
};
struct failed {
    error problem;
};
struct closed {};
using reply = std::variant<opened, answer, failed, closed>;

bytes encode(const request& r);
bytes encode(const reply& r);
result<request> parse_request(byte_view message);
result<reply> parse_reply(byte_view message);

}  // namespace ballotbox::cardio::card_io_wire
