// iso7816_exchange: one ISO 7816-4 command and its complete answer, with the procedure status
// words resolved, so the same code works over T=0 and T=1.
//
//  - 61xx ("xx more bytes waiting", typical of T=0 case 2/4 commands): GET RESPONSE
//    (00 C0 00 00 Le=xx, 00 meaning 256) is sent and the pieces concatenated, at most
//    max_get_response times; a longer chain is refused as card.response_chain_too_long.
//  - 6Cxx ("wrong Le, xx bytes available"): the same command (or GET RESPONSE) is sent once
//    more with Le=xx (00 meaning 256); a second 6Cxx is refused as card.wrong_le.
// Any other status word is returned to the caller unchecked, with whatever data came with it.
// Transport errors (card.removed, card.timeout, ...) pass through unchanged. Malformed answers
// are refused (card.response_too_short / card.response_too_long).
//
// A pure function of the transport: thread safety is the transport's.
#pragma once

#include <cstddef>

#include "cardio/apdu.h"
#include "cardio/card_transport.h"

namespace ballotbox::cardio {

struct exchange_options {
    std::size_t max_get_response = 16;  // GET RESPONSE commands per command, at most
};

result<response_apdu> exchange(card_transport& transport, const command_apdu& command,
                               const exchange_options& options = {});

}  // namespace ballotbox::cardio
