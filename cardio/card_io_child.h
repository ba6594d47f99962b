// card_io_child: the body of a card I/O process (a forked child; see card_session.h).
//
// run_card_io_child() first closes every inherited descriptor except stdio and `socket`
// (the child must not hold the parent's files or sockets open: a virtual card's TCP
// connection, the ledger). Then it serves sessions one after another (card_io_wire.h): an
// open request connects a pcsc_card to the named reader and begins a transaction; transmit
// requests go to that card; a close request ends the transaction and disconnects, and the
// child waits for the next open request. A failed open leaves it waiting too. A request out
// of turn or garbled is answered with card.io_process_garbled and ends the process, as does
// the parent's end of the socket closing. It never returns: it ends the process with _exit,
// running no destructor or exit handler of the parent's program.
//
// Call it only in a freshly forked child. Owns `socket`.
#pragma once

#include <string>

#include "cardio/pcsc_card.h"

namespace ballotbox::cardio {

[[noreturn]] void run_card_io_child(int socket, const pcsc_card_options& options);

}  // namespace ballotbox::cardio
