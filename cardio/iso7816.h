// iso7816_card: the ISO 7816-4 file commands ballotbox uses on any card with a file system:
// SELECT an elementary file by its file id, READ BINARY and UPDATE BINARY in chunks that fit
// short APDUs. No proprietary command is ever sent, so real cards and emulators both work.
//
//  - select_ef: SELECT 00 A4 02 0C with the 2-byte file id (no answer data asked). A card
//    that refuses P2=0C (6A86) is asked again with P2=00 and Le=256, and the FCP ignored.
//  - read_binary(offset, n): READ BINARY B0 with 15-bit offsets, read_chunk bytes per
//    command; a card that stops early (6282, 6B00, or fewer bytes than asked) is reported as
//    card.end_of_file, since the caller asked for bytes that are not there.
//  - read_ef(max): the whole file when its size is not known: reads until the card reports
//    the end (6282, 6B00, or a short answer) and refuses a file larger than max
//    (card.file_too_large).
//  - update_binary(offset, data): UPDATE BINARY D6 in write_chunk-byte commands, in order of
//    increasing offset, each of which must answer 9000. On failure some leading chunks may
//    already be written: the card record format must detect a torn write.
// Offsets beyond 32767 are refused before anything is sent (card.offset_too_large).
//
// Borrows the transport, which must outlive this object. Not thread-safe (one card operation
// at a time, as card_session's transaction enforces).
#pragma once

#include <cstddef>
#include <cstdint>

#include "cardio/apdu.h"
#include "cardio/card_transport.h"
#include "cardio/iso7816_exchange.h"

namespace ballotbox::cardio {

struct iso7816_options {
    std::size_t read_chunk = 256;   // 1..256 bytes per READ BINARY
    std::size_t write_chunk = 255;  // 1..255 bytes per UPDATE BINARY
    exchange_options exchange;
};

inline constexpr std::size_t max_binary_offset = 0x7fff;

class iso7816_card {
  public:
    explicit iso7816_card(card_transport& transport, iso7816_options options = {});

    status select_ef(std::uint16_t file_id);
    result<bytes> read_binary(std::size_t offset, std::size_t length);
    result<bytes> read_ef(std::size_t max_size);
    status update_binary(std::size_t offset, byte_view data);

  private:
    card_transport& transport_;
    iso7816_options options_;
};

}  // namespace ballotbox::cardio
