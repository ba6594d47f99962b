// Encoding and strict parsing of the ballot-card record (layout: docs/card-format.md).
//
//   header (8) | body (0..242) | checksum (32)
//   header = 'B' 'B' 'c' 'r' | version 0x01 | state | body length (u16, big-endian)
//
// The parser never reads past the bytes it is given, checks the header, then the length
// against the state's bounds, then the checksum, and only then the body; each malformed
// input has its own error code ("card.<reason>") and a message for the poll worker. It does
// NOT check the appliance's MAC or the booth's signature (those need keys: card_mac.h,
// booth_signature.h) nor the record against the election package (the appliance does).
//
// Every record has exactly one encoding: encode_card_record(parse_card_record(b)) == b for
// every b that parses.
//
// Pure functions over values; safe from any thread.
#pragma once

#include <cstddef>

#include "cardio/card_record.h"
#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardio {

inline constexpr std::size_t card_header_size = 8;
inline constexpr std::size_t card_checksum_size = 32;
// The largest record the format allows (a voted card carrying 8 races and a 32-char
// station id); well under card_record_file_size.
inline constexpr std::size_t max_card_record_size = 282;

// The commit byte is byte 0 of the record: 'B' once a record is complete, 0x00 while a
// write is in progress (see card_write_plan.h).
inline constexpr std::uint8_t card_commit_byte = 'B';
inline constexpr std::uint8_t card_open_byte = 0x00;

// The record's bytes. Fails (card.bad_station_id, card.bad_style, card.bad_choice,
// card.choice_out_of_range, card.choice_count_mismatch) if a value is outside the format.
result<bytes> encode_card_record(const card_record& record);

// Parses exactly one record: `data` must be the record and nothing else
// (card.trailing_garbage otherwise).
result<card_record> parse_card_record(byte_view data);

// Parses the record at the start of a card image (the EF's content from offset 0, at least
// as long as the record); bytes after the record are ignored.
result<card_record> parse_card_image(byte_view image);

// The total size of the record (header + body + checksum) that starts with `header`, which
// needs at least card_header_size bytes: lets a reader read the header first and then
// exactly the rest. Checks the commit byte, magic, version, state and length bounds.
result<std::size_t> card_record_size(byte_view header);

// The checksum a record with this header and body ends with:
// SHA-256("ballotbox/card-record/checksum/v1" || header || body).
crypto::digest card_record_checksum(byte_view header_and_body);

}  // namespace ballotbox::cardio
