#include "cardio/pcsc_error.h"

#include <cstdio>
#include <string>

#include "cardio/card_transport.h"

namespace ballotbox::cardio {
namespace {

struct meaning {
    const char* code;
    const char* message;
};

meaning meaning_of(LONG rc) {
    switch (rc) {
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
        case SCARD_F_COMM_ERROR:
            return {"card.service_unavailable",
                    "the smart card service (pcscd) is not running; it is being reconnected "
                    "automatically: wait, and call the technician if this stays"};
        case SCARD_E_INVALID_HANDLE:
            return {"card.service_unavailable",
                    "the smart card service (pcscd) restarted and no longer knows this "
                    "connection: insert the card again"};
        case SCARD_W_REMOVED_CARD:
        case SCARD_E_NO_SMARTCARD:
            return {"card.removed", nullptr};
        case SCARD_E_READER_UNAVAILABLE:
        case SCARD_E_UNKNOWN_READER:
            return {"card.reader_gone",
                    "the card reader was unplugged or stopped working: check its cable, plug "
                    "it in again and insert the card again"};
        case SCARD_E_NO_READERS_AVAILABLE:
            return {"card.no_reader", "no card reader is connected: plug in the card reader"};
        case SCARD_E_TIMEOUT:
            return {"card.timeout",
                    "the card did not answer in time: take it out and insert it again"};
        case SCARD_W_UNRESPONSIVE_CARD:
        case SCARD_W_UNPOWERED_CARD:
            return {"card.unresponsive",
                    "the card does not answer: check it is inserted the right way round and "
                    "insert it again; if it still does not answer, put it aside"};
        case SCARD_E_SHARING_VIOLATION:
            return {"card.busy",
                    "another program is using the card: wait a moment and insert it again"};
        case SCARD_W_RESET_CARD:
            return {"card.reset", "the card was reset by another program: insert it again"};
        case SCARD_E_CANCELLED:
            return {"card.cancelled", "the card operation was cancelled"};
        case SCARD_E_PROTO_MISMATCH:
        case SCARD_W_UNSUPPORTED_CARD:
        case SCARD_E_CARD_UNSUPPORTED:
        case SCARD_E_INVALID_ATR:
            return {"card.unsupported",
                    "this card cannot be used with this reader: put it aside and use a ballot "
                    "card"};
        case SCARD_E_NOT_TRANSACTED:
        case SCARD_E_COMM_DATA_LOST:
        case SCARD_E_NOT_READY:
            return {"card.transmission_failed",
                    "the exchange with the card failed: take it out and insert it again"};
        default:
            return {"card.pcsc_error",
                    "the smart card service reported an error: take the card out and insert it "
                    "again; call the technician if it happens again"};
    }
}

}  // namespace

error pcsc_error(LONG rc, std::string_view call) {
    const meaning m = meaning_of(rc);
    if (m.message == nullptr)
        return card_removed_error();
    char code[16];
    std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(rc) & 0xffffffffUL);
    std::string message = m.message;
    message += " (";
    message += call;
    message += ": ";
    message += code;
    message += ")";
    return make_error(m.code, std::move(message));
}

status check_pcsc(LONG rc, std::string_view call) {
    if (rc == SCARD_S_SUCCESS)
        return ok_status();
    return pcsc_error(rc, call);
}

bool is_service_lost(LONG rc) {
    return rc == SCARD_E_NO_SERVICE || rc == SCARD_E_SERVICE_STOPPED || rc == SCARD_F_COMM_ERROR ||
           rc == SCARD_E_INVALID_HANDLE;
}

}  // namespace ballotbox::cardio
