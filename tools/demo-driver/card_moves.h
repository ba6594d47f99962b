// card_moves: moving one virtual card between the vpcd readers of the real pcscd and marking
// it at the booth. A lane is one table member's reader and one booth: lane 0 is the vpcd
// device of Debian's /etc/reader.conf.d/vpcd (table "Virtual PCD 00 00" on TCP port 35963,
// booth "Virtual PCD 00 01" on 35964); lane k >= 1 is the device tools/demo adds with the
// friendly name "Virtual PCD lane k" (table "... 00 00" on 35963 + 2k, booth "... 00 01"). Every
// wait is on PC/SC's own view of the reader (SCardGetStatusChange), never a blind sleep, and
// bounded.
//
// Errors: demo.reader_busy (the reader never became empty), demo.card_not_seen (pcscd never
// saw the card), and cardsim/cardio errors from the booth's marking.
// Thread safety: one thread owns a reader_view (its PC/SC context is not shared); each lane
// thread opens its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cardio/card_record.h"
#include "cardio/pcsc_context.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "tools/cardsim/card_image.h"
#include "tools/cardsim/virtual_card_connection.h"

namespace ballotbox::demo {

// pcscd serves at most 16 readers, and a PC/SC wait on all 16 plus the hotplug pseudo-reader
// passes its limit (ballotboxd's reader monitor then fails): 7 lanes, 14 readers.
inline constexpr int max_lanes = 7;

struct reader_slot {
    std::string name;        // the PC/SC reader name
    std::uint16_t port = 0;  // vpcd's TCP port for it
};
reader_slot table_slot(int lane);
reader_slot booth_slot(int lane);

class reader_view {
  public:
    static result<reader_view> open();
    // True once the reader holds (present) / does not hold a card, false after `limit`.
    bool wait(const reader_slot& reader, bool present, std::chrono::milliseconds limit);
    // How many lanes (0..max_lanes, counted from lane 0) have both readers listed by PC/SC.
    result<int> lanes_available();

  private:
    explicit reader_view(cardio::pcsc_context c) : context_(std::move(c)) {}
    cardio::pcsc_context context_;
};

// A card in a reader for as long as this object lives (or until remove()).
class card_in_reader {
  public:
    // Waits for the reader to be empty, inserts, waits until pcscd sees the card.
    static result<std::unique_ptr<card_in_reader>> insert(reader_view& view,
                                                          const reader_slot& reader,
                                                          cardsim::card_image image);
    ~card_in_reader();
    card_in_reader(const card_in_reader&) = delete;
    card_in_reader& operator=(const card_in_reader&) = delete;
    cardsim::card_image remove();  // idempotent; the card's content after removal

  private:
    card_in_reader() = default;
    std::unique_ptr<cardsim::virtual_card_connection> card_;
    bool removed_ = false;
    cardsim::card_image last_;
};

cardsim::card_image blank_card();
result<cardio::card_record> record_of(const cardsim::card_image& image);
cardsim::card_image with_record(const cardio::card_record& record);

// At the booth: inserts the issued card in the booth reader, marks `choices` with the booth key
// over a real PC/SC session, removes it; the voted card's image.
result<cardsim::card_image> vote_at_booth(reader_view& view, const reader_slot& booth_reader,
                                          cardsim::card_image issued,
                                          const crypto::ed25519_private_key& booth,
                                          const std::vector<cardio::ballot_choice>& choices);

}  // namespace ballotbox::demo
