// card_io: reading and writing the ballot-card record through ISO 7816-4 file commands
// (cardio::iso7816_card over the caller's transport): SELECT the record EF, READ BINARY the
// first max_card_record_size bytes, parse strictly; write a new record with the tear-safe
// write plan (cardio/card_write_plan.h) over what was read.
//
// A read that fails in the transport (card removed, reader gone, no answer) is an error; a
// read that succeeds but does not parse is a card_contents whose record holds the parse
// error (card.torn_write, card.bad_magic, ...), with the bytes read, so the caller can still
// clear a torn card. Borrows the transport; not thread-safe.
#pragma once

#include "cardio/card_record.h"
#include "cardio/card_transport.h"
#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::appliance {

struct card_contents {
    bytes image;                         // the first max_card_record_size bytes of the EF
    result<cardio::card_record> record;  // parsed, or the parse error
};

result<card_contents> read_card(cardio::card_transport& transport);

// Writes `record` over `old_image` (what read_card returned). On failure some chunks may
// have reached the card: the next read reports card.torn_write (never a half record).
status write_card(cardio::card_transport& transport, byte_view old_image,
                  const cardio::card_record& record);

}  // namespace ballotbox::appliance
