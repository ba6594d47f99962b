// The order in which a new record is written over an old one, so that a write torn at any
// byte (the card pulled out) is detected on the next read and never half-trusted.
//
//   1. byte 0 <- 0x00            "open": from here on every read says card.torn_write
//   2. bytes 1.. of the new record, in chunks
//   3. zeros over whatever the old image held beyond the new record (a cleared card must
//      not keep the previous voter's choices in stale bytes), in chunks
//   4. byte 0 <- 'B'             "commit": the new record is complete
//
// Steps 1 and 4 are one byte each, so no tear can split them. Before step 1 completes the
// card holds the old record; after step 4 the new one; in between the commit byte is 0x00
// and the rest of the magic ("Bcr") is intact, which the parser reports as card.torn_write.
// The checksum stays as a second line of defence against damage the tear model does not
// cover (a card that writes bytes of one command out of order). docs/card-format.md has
// the argument in full.
//
// The card writer (cardio's UPDATE BINARY loop, the simulator) sends the chunks in order,
// each as one UPDATE BINARY at its offset. Pure function; safe from any thread.
#pragma once

#include <cstddef>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardio {

struct write_chunk {
    std::size_t offset = 0;
    bytes data;
    friend bool operator==(const write_chunk&, const write_chunk&) = default;
};

// old_image: the bytes the card is known to hold from offset 0 (the old record as read, or
// the whole EF; when the old header does not parse, at least max_card_record_size bytes);
// new_record: an encoded record (encode_card_record). chunk_size is the largest data length of one
// UPDATE BINARY, 1..255 (128 fits every short-APDU card). Fails with card.bad_chunk_size, or
// card.record_too_large if new_record or old_image is larger than the EF (card_record_file_size),
// or card.not_a_record if new_record does not start with a committed header.
result<std::vector<write_chunk>> plan_write(byte_view old_image, byte_view new_record,
                                            std::size_t chunk_size);

}  // namespace ballotbox::cardio
