// reader_transition: what a change in one reader's PC/SC state (SCARD_READERSTATE's
// dwEventState, as SCardGetStatusChange returns it) means for the card in that reader.
//
// pcscd counts the card insertions and removals of each reader in the upper 16 bits of
// dwEventState (the event counter, wrapping at 0xFFFF), one per insertion and one per
// removal. It writes a reader's new state and then, a few instructions later, the raised
// counter, with no lock that a client's read of the states takes (pcsc-lite 1.9.9,
// eventhandler.c). A client that reads just then sees the new card present with the
// counter of the removal before it, and one higher on its next read: the same insertion
// seen twice. Taking that as a card swap made ballotboxd handle one card twice (it cleared
// a cast card, then issued it again while it was still in the reader).
//
// So while a card stays present, a counter one higher is the same card; two or more higher
// means pcscd saw it leave and a card come in between two reads: another card. (A swap whose
// absence neither read caught, and whose new card was itself read half-written, would be
// missed; pcscd signals every change to the waiting client, so that needs the monitor to
// sleep through a whole 0.4 s polling period of pcscd and then hit a window of
// nanoseconds.) A card that leaves and comes back between two of pcscd's own polls is not
// seen by pcscd at all.
//
// Pure functions; thread-safe.
#pragma once

#include <winscard.h>

namespace ballotbox::cardio {

struct reader_transition {
    bool card_removed = false;   // the card seen before has left (reported first)
    bool card_inserted = false;  // a card now present was not seen before
};

// `before` is the last state seen (SCARD_STATE_UNAWARE if none), `after` the new one.
reader_transition classify_reader_change(DWORD before, DWORD after);

// Whether the card present in `at_open` is no longer the one in `now`: absent, or another
// card by the rule above.
bool card_no_longer_there(DWORD at_open, DWORD now);

}  // namespace ballotbox::cardio
