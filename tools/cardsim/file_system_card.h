// file_system_card: a pure model of an ISO 7816-4 card with a file system — an MF (3F00)
// holding transparent EFs — that turns one command APDU into one response APDU. No I/O.
//
// Speaks short APDUs, CLA 00 only:
//   SELECT (A4)         P1 00 (MF/EF by file id; no data selects the MF) or 02 (EF under
//                       the MF); P1 04 (by DF name) answers 6A82. P2 0C: no response data;
//                       P2 00/04: an FCP template (62: 82 descriptor, 83 file id, 80 size).
//   READ BINARY (B0)    offset P1P2 (15 bits), Le; 6282 with the bytes there are when the
//                       file ends before Le bytes (T=1 style) or 6Cxx (T=0 style).
//   UPDATE BINARY (D6)  offset P1P2, data; 6A84 when the data would run past the EF.
//   GET RESPONSE (C0)   only in T=0 style, after a 61xx.
// Anything else gets its ISO 7816-4 status word (see iso7816.h): 6D00, 6E00, 6881, 6882,
// 6884, 6700, 6A86, 6A82, 6986, 6B00, 6985. Short-EF-id addressing (P1 bit 8) is not
// supported: the card has no short EF ids, so it answers 6A82.
//
// T=0 style (card_options::t0) models what a T=0 card does to the PC/SC client: a case 4
// command (SELECT with FCP) answers 61xx and the data comes with GET RESPONSE; a wrong Le
// answers 6Cxx with the right one. The ATR then offers T=0 only; otherwise T=1 only.
//
// Thread safety: none; one owner (virtual_card_connection guards its card with a mutex).
// Every method leaves the card consistent: a failed command changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "tools/cardsim/card_image.h"

namespace ballotbox::cardsim {

struct card_options {
    bool t0 = false;  // T=0 style: 61xx + GET RESPONSE, 6Cxx on a wrong Le
};

class file_system_card {
  public:
    explicit file_system_card(card_image image, card_options options = {});

    // One command APDU in, one response APDU out (always at least the 2-byte status word).
    bytes process(byte_view command);

    // If `command` is an UPDATE BINARY that process() would carry out, the number of bytes
    // it writes; otherwise nullopt.
    std::optional<std::size_t> update_length(byte_view command) const;

    // The card loses power while writing `command` (an UPDATE BINARY for which
    // update_length() has a value): only its first min(keep, length) bytes reach the EF.
    // No response; the selection state is lost as after a power cycle.
    void tear_update(byte_view command, std::size_t keep);

    // Power off/on or warm reset: nothing selected, no pending GET RESPONSE data.
    void reset();

    bytes atr() const;
    const card_image& image() const { return image_; }
    const card_options& options() const { return options_; }

  private:
    bytes select(std::uint8_t p1, std::uint8_t p2, byte_view data, bool has_le, std::size_t ne);
    bytes read_binary(std::uint8_t p1, std::uint8_t p2, std::size_t ne);
    bytes update_binary(std::uint8_t p1, std::uint8_t p2, byte_view data);
    bytes get_response(std::uint8_t p1, std::uint8_t p2, std::size_t ne);
    bytes respond_with(bytes data, bool has_le, std::size_t ne, bool case4);
    std::optional<std::size_t> find(std::uint16_t id) const;

    card_image image_;
    card_options options_;
    std::optional<std::size_t> current_ef_;  // index into image_.files
    bytes pending_;                          // T=0: data waiting for GET RESPONSE
};

}  // namespace ballotbox::cardsim
