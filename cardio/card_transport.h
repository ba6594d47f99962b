// card_transport: the seam between the ISO 7816-4 layer and whatever carries APDUs to a card.
//
// transmit() sends one complete command APDU and returns the card's complete answer (data
// followed by SW1 SW2), or the error that kept it from arriving ("card.removed",
// "card.reader_gone", "card.service_unavailable", "card.timeout", ...). The production
// implementation is card_session (PC/SC); tests wrap a card model, and fault_injecting_transport
// adds faults the real parts cannot produce on demand.
//
// Thread safety: an implementation serves one caller at a time unless it says otherwise;
// abandon() may be called from any thread.
#pragma once

#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardio {

class card_transport {
  public:
    virtual ~card_transport() = default;
    virtual result<bytes> transmit(byte_view command_apdu) = 0;

    // Gives up on the card: a transmit() in progress in another thread returns soon (with
    // card.timeout) and every later one fails. Returns false when this transport cannot do
    // that (its calls are expected to return on their own). Safe from any thread.
    virtual bool abandon() { return false; }
};

// The error every transport reports when the card left the reader mid-operation.
error card_removed_error();

}  // namespace ballotbox::cardio
