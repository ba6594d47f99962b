#include "cardio/card_session.h"

#include <array>

#include "cardio/pcsc_error.h"

namespace ballotbox::cardio {

result<std::unique_ptr<card_session>> card_session::open(const std::string& reader) {
    auto context = pcsc_context::establish();
    BALLOTBOX_TRY(context);
    std::unique_ptr<card_session> session(new card_session(std::move(*context), reader));

    LONG rc =
        SCardConnect(session->context_.handle(), reader.c_str(), SCARD_SHARE_SHARED,
                     SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &session->card_, &session->protocol_);
    if (rc != SCARD_S_SUCCESS)
        return pcsc_error(rc, "SCardConnect");
    session->connected_ = true;

    rc = SCardBeginTransaction(session->card_);
    if (rc == SCARD_W_RESET_CARD) {  // another program reset the card: take it as it is now
        rc = SCardReconnect(session->card_, SCARD_SHARE_SHARED,
                            SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_LEAVE_CARD,
                            &session->protocol_);
        if (rc != SCARD_S_SUCCESS)
            return pcsc_error(rc, "SCardReconnect");
        rc = SCardBeginTransaction(session->card_);
    }
    if (rc != SCARD_S_SUCCESS)
        return pcsc_error(rc, "SCardBeginTransaction");
    session->in_transaction_ = true;
    return session;
}

card_session::~card_session() {
    (void)close();
}

status card_session::close() {
    status outcome;
    if (in_transaction_) {
        in_transaction_ = false;
        LONG rc = SCardEndTransaction(card_, SCARD_LEAVE_CARD);
        // A card already gone has no transaction left to end: that is not a failure here.
        if (rc != SCARD_S_SUCCESS && rc != SCARD_W_REMOVED_CARD && rc != SCARD_E_NO_SMARTCARD)
            outcome = pcsc_error(rc, "SCardEndTransaction");
    }
    if (connected_) {
        connected_ = false;
        LONG rc = SCardDisconnect(card_, SCARD_LEAVE_CARD);
        if (rc != SCARD_S_SUCCESS && outcome.ok())
            outcome = pcsc_error(rc, "SCardDisconnect");
    }
    return outcome;
}

const char* card_session::protocol_name() const {
    return protocol_ == SCARD_PROTOCOL_T0 ? "T=0" : "T=1";
}

result<bytes> card_session::transmit(byte_view command_apdu) {
    if (!connected_)
        return make_error("card.session_closed",
                          "the card session was already closed (program error)");
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    std::array<BYTE, MAX_BUFFER_SIZE> answer{};
    DWORD length = answer.size();
    LONG rc = SCardTransmit(card_, pci, command_apdu.data(), command_apdu.size(), nullptr,
                            answer.data(), &length);
    if (rc == SCARD_E_INSUFFICIENT_BUFFER)
        return make_error("card.response_too_long",
                          "the card answered with more bytes than a short APDU can carry; this "
                          "card or reader is not supported");
    if (rc != SCARD_S_SUCCESS)
        return pcsc_error(rc, "SCardTransmit");
    if (length > answer.size())
        return make_error("card.response_too_long", "the reader reported an impossible length");
    return bytes(answer.begin(), answer.begin() + length);
}

}  // namespace ballotbox::cardio
