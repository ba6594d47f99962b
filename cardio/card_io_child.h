// card_io_child: the body of card_session's card I/O process (a forked child).
//
// run_card_io_child() first closes every inherited descriptor except stdio and `socket`
// (the child must not hold the parent's files or sockets open: a virtual card's TCP
// connection, the ledger), then opens a pcsc_card on `reader`, reports the outcome, and
// serves transmit requests until a close request or the parent's end of the socket closes
// (card_io_wire.h). It never returns: it ends the process with _exit, running no destructor
// or exit handler of the parent's program.
//
// Call it only in a freshly forked child. Owns `socket`.
#pragma once

#include <string>

#include "cardio/pcsc_card.h"

namespace ballotbox::cardio {

[[noreturn]] void run_card_io_child(int socket, const std::string& reader,
                                    const pcsc_card_options& options);

}  // namespace ballotbox::cardio
