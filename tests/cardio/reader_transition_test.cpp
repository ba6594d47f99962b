// What the reader monitor and a card session make of a reader's changing PC/SC state
// (cardio/reader_transition.h), including the half-updated state pcscd can hand out just
// after an insertion: its reader state and its event counter are written one after the other.
#include "cardio/reader_transition.h"

#include <doctest/doctest.h>

#include <initializer_list>

using namespace ballotbox::cardio;

namespace {

// A reader state as SCardGetStatusChange returns it: the event counter in the upper 16 bits.
DWORD state(DWORD counter, bool card) {
    return (counter << 16) | (card ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY);
}

// The events a monitor reports for a sequence of states it reads in turn.
struct seen {
    int inserted = 0;
    int removed = 0;
};

seen replay(std::initializer_list<DWORD> states) {
    seen s;
    DWORD before = SCARD_STATE_UNAWARE;
    for (DWORD after : states) {
        const auto t = classify_reader_change(before, after);
        s.removed += t.card_removed ? 1 : 0;
        s.inserted += t.card_inserted ? 1 : 0;
        before = after;
    }
    return s;
}

}  // namespace

TEST_CASE("a card put in and taken out is one insertion and one removal") {
    const auto s = replay({state(0, false), state(1, true), state(2, false)});
    CHECK(s.inserted == 1);
    CHECK(s.removed == 1);
}

TEST_CASE("a card already present at the first read is one insertion") {
    const auto s = replay({state(1, true), state(1, true)});
    CHECK(s.inserted == 1);
    CHECK(s.removed == 0);
}

TEST_CASE("an insertion read before pcscd raised its counter is still one insertion") {
    // The card shows present with the counter of the empty reader, then with its own.
    const auto s = replay({state(4, false), state(4, true), state(5, true), state(6, false)});
    CHECK(s.inserted == 1);
    CHECK(s.removed == 1);
}

TEST_CASE("a card swapped between two reads is a removal then an insertion") {
    const auto t = classify_reader_change(state(5, true), state(7, true));
    CHECK(t.card_removed);
    CHECK(t.card_inserted);
    const auto s = replay({state(4, false), state(5, true), state(7, true), state(9, true)});
    CHECK(s.inserted == 3);
    CHECK(s.removed == 2);
}

TEST_CASE("the event counter wraps at 0xFFFF without a false swap") {
    CHECK_FALSE(classify_reader_change(state(0xFFFF, true), state(0, true)).card_inserted);
    const auto t = classify_reader_change(state(0xFFFF, true), state(1, true));
    CHECK(t.card_removed);
    CHECK(t.card_inserted);
}

TEST_CASE("a card that stays put is not reported again") {
    const auto t = classify_reader_change(state(3, true), state(3, true) | SCARD_STATE_INUSE);
    CHECK_FALSE(t.card_removed);
    CHECK_FALSE(t.card_inserted);
    CHECK_FALSE(classify_reader_change(state(2, false), state(2, false)).card_removed);
}

TEST_CASE("a session knows its card has gone: absent, or another card") {
    CHECK_FALSE(card_no_longer_there(state(3, true), state(3, true)));
    CHECK_FALSE(card_no_longer_there(state(2, true), state(3, true)));  // opened half-updated
    CHECK(card_no_longer_there(state(3, true), state(4, false)));
    CHECK(card_no_longer_there(state(3, true), state(5, true)));
}
