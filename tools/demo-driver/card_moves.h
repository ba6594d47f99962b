// card_moves: moving one virtual card between the vpcd readers of the real pcscd (reader 0:
// the table, "Virtual PCD 00 00"; reader 1: the booth, "Virtual PCD 00 01") and marking it
// at the booth. Every wait is on PC/SC's own view of the reader (SCardGetStatusChange), never
// a blind sleep, and bounded.
//
// Errors: demo.reader_busy (the reader never became empty), demo.card_not_seen (pcscd never
// saw the card), and cardsim/cardio errors from the booth's marking.
// Thread safety: one thread owns a reader_view (its PC/SC context is not shared).
#pragma once

#include <chrono>
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

inline constexpr int table_reader = 0;
inline constexpr int booth_reader = 1;
std::string reader_name(int reader);

class reader_view {
  public:
    static result<reader_view> open();
    // True once the reader holds (present) / does not hold a card, false after `limit`.
    bool wait(int reader, bool present, std::chrono::milliseconds limit);

  private:
    explicit reader_view(cardio::pcsc_context c) : context_(std::move(c)) {}
    cardio::pcsc_context context_;
};

// A card in a reader for as long as this object lives (or until remove()).
class card_in_reader {
  public:
    // Waits for the reader to be empty, inserts, waits until pcscd sees the card.
    static result<std::unique_ptr<card_in_reader>> insert(reader_view& view, int reader,
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

// At the booth: inserts the issued card in reader 1, marks `choices` with the booth key over
// a real PC/SC session, removes it; the voted card's image.
result<cardsim::card_image> vote_at_booth(reader_view& view, cardsim::card_image issued,
                                          const crypto::ed25519_private_key& booth,
                                          const std::vector<cardio::ballot_choice>& choices);

}  // namespace ballotbox::demo
