// pcsc_error: every PC/SC-lite return code as a ballotbox error value.
//
// The codes the poll worker's screen keys on:
//   SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED, SCARD_F_COMM_ERROR,
//   SCARD_E_INVALID_HANDLE (a context or card handle pcscd forgot when it restarted)
//                                                                   -> card.service_unavailable
//   SCARD_W_REMOVED_CARD, SCARD_E_NO_SMARTCARD                      -> card.removed
//   SCARD_E_READER_UNAVAILABLE, SCARD_E_UNKNOWN_READER              -> card.reader_gone
//   SCARD_E_NO_READERS_AVAILABLE                                    -> card.no_reader
//   SCARD_E_TIMEOUT                                                 -> card.timeout
//   SCARD_W_UNRESPONSIVE_CARD, SCARD_W_UNPOWERED_CARD               -> card.unresponsive
//   SCARD_E_SHARING_VIOLATION                                       -> card.busy
//   SCARD_W_RESET_CARD                                              -> card.reset
//   SCARD_E_CANCELLED                                               -> card.cancelled
//   SCARD_E_PROTO_MISMATCH, SCARD_W_UNSUPPORTED_CARD, SCARD_E_CARD_UNSUPPORTED
//                                                                   -> card.unsupported
//   SCARD_E_NOT_TRANSACTED, SCARD_E_COMM_DATA_LOST, SCARD_E_NOT_READY -> card.transmission_failed
//   anything else                                                   -> card.pcsc_error
// Each message names the PC/SC call, the code in hex and says what to do.
//
// Pure functions: safe from any thread.
#pragma once

#include <winscard.h>

#include <string_view>

#include "common/result.h"

namespace ballotbox::cardio {

// The error for a PC/SC return code other than SCARD_S_SUCCESS; `call` names the failing
// PC/SC function ("SCardTransmit").
error pcsc_error(LONG rc, std::string_view call);

// ok for SCARD_S_SUCCESS, pcsc_error(rc, call) otherwise.
status check_pcsc(LONG rc, std::string_view call);

// True for the return codes that mean pcscd itself went away, so the context must be
// released and established again: the service codes above and SCARD_E_INVALID_HANDLE (a
// context that a restarted pcscd no longer knows).
bool is_service_lost(LONG rc);

}  // namespace ballotbox::cardio
