#include "cardio/reader_transition.h"

namespace ballotbox::cardio {
namespace {

bool present(DWORD state) {
    return (state & SCARD_STATE_PRESENT) != 0;
}

// How far pcscd's event counter moved, modulo its 16 bits.
DWORD counter_steps(DWORD before, DWORD after) {
    return ((after >> 16) - (before >> 16)) & 0xFFFF;
}

// Both states show a card: is it another one?
bool another_card(DWORD before, DWORD after) {
    return counter_steps(before, after) >= 2;
}

}  // namespace

reader_transition classify_reader_change(DWORD before, DWORD after) {
    reader_transition t;
    const bool was = before != SCARD_STATE_UNAWARE && present(before);
    const bool is = present(after);
    const bool swapped = was && is && another_card(before, after);
    t.card_removed = was && (!is || swapped);
    t.card_inserted = is && (!was || swapped);
    return t;
}

bool card_no_longer_there(DWORD at_open, DWORD now) {
    return !present(now) || another_card(at_open, now);
}

}  // namespace ballotbox::cardio
