// reader_event: what reader_monitor reports about readers, cards and the PC/SC service.
//
// Plain value types; safe to copy between threads.
#pragma once

#include <string>

#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardio {

enum class reader_event_kind {
    reader_added,   // `reader` is now known (also every reader at start and after service_back)
    reader_gone,    // `reader` was unplugged; a card_removed for it came first if it held one
    card_inserted,  // a card is in `reader`; `atr` holds its ATR, `mute` if it does not answer
    card_removed,   // the card left `reader`
    service_lost,   // pcscd stopped; `problem` says how. Every reader and card reported so far
                    // is forgotten: after service_back they are reported afresh
    service_back,   // pcscd answers again (reader_added / card_inserted follow)
};

struct reader_event {
    reader_event_kind kind = reader_event_kind::reader_added;
    std::string reader;
    bytes atr;          // card_inserted only
    bool mute = false;  // card_inserted only: present but not answering to reset
    error problem;      // service_lost only

    friend bool operator==(const reader_event&, const reader_event&) = default;
};

const char* to_string(reader_event_kind kind);

}  // namespace ballotbox::cardio
