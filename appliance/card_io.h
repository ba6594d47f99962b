// card_io: reading and writing the ballot-card record through ISO 7816-4 file commands
// (cardio::iso7816_card over the caller's transport): SELECT the record EF, READ BINARY the
// first max_card_record_size bytes, parse strictly; write a new record with the tear-safe
// write plan (cardio/card_write_plan.h) over what was read.
//
// A read that fails in the transport (card removed, reader gone, no answer) is an error; a
// read that succeeds but does not parse is a card_contents whose record holds the parse
// error (card.torn_write, card.bad_magic, ...), with the bytes read, so the caller can still
// clear a torn card. probe_card() checks that a card is really there before anything is
// recorded about it. Borrows the transport; not thread-safe.
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

// The daemon's first contact with a card: sends the SELECT of the record EF and succeeds if
// the card answered at all, whatever its status word (a card without the EF answered too).
// Fails with the transport's error when no answer came: card.removed for a card PC/SC still
// listed but already gone (taken out while the daemon was down, or pulled out at once),
// card.timeout for a card that does not answer. Nothing is written to the card; a card that
// fails here was never read, so nothing about it may be recorded.
status probe_card(cardio::card_transport& transport);

// Writes `record` over `old_image` (what read_card returned). On failure some chunks may
// have reached the card: the next read reports card.torn_write (never a half record).
status write_card(cardio::card_transport& transport, byte_view old_image,
                  const cardio::card_record& record);

}  // namespace ballotbox::appliance
