#include "cardio/pcsc_card.h"

#include <array>
#include <cstdio>

#include "cardio/pcsc_error.h"
#include "cardio/reader_transition.h"

namespace ballotbox::cardio {

result<std::unique_ptr<pcsc_card>> pcsc_card::open(const std::string& reader,
                                                   pcsc_card_options options) {
    auto context = pcsc_context::establish();
    BALLOTBOX_TRY(context);
    std::unique_ptr<pcsc_card> session(new pcsc_card(std::move(*context), reader, options));

    // The reader's state (with its event counter) now, to recognise a removal later.
    SCARD_READERSTATE state{};
    state.szReader = reader.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    if (SCardGetStatusChange(session->context_.handle(), 0, &state, 1) == SCARD_S_SUCCESS)
        session->reader_state_at_open_ = state.dwEventState & ~SCARD_STATE_CHANGED;

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

pcsc_card::~pcsc_card() {
    (void)close();
}

status pcsc_card::close() {
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

const char* pcsc_card::protocol_name() const {
    return protocol_ == SCARD_PROTOCOL_T0 ? "T=0" : "T=1";
}

result<bytes> pcsc_card::transmit(byte_view command_apdu) {
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
    if (rc == SCARD_E_NOT_TRANSACTED || rc == SCARD_E_COMM_DATA_LOST ||
        (rc == SCARD_S_SUCCESS && length == 0)) {
        if (card_left())
            return card_removed_error();
    }
    if (rc != SCARD_S_SUCCESS)
        return pcsc_error(rc, "SCardTransmit");
    if (length > answer.size())
        return make_error("card.response_too_long", "the reader reported an impossible length");
    return bytes(answer.begin(), answer.begin() + length);
}

bool pcsc_card::card_left() {
    if (reader_state_at_open_ == SCARD_STATE_UNAWARE)
        return false;
    const auto until = std::chrono::steady_clock::now() + options_.removal_check;
    SCARD_READERSTATE state{};
    state.szReader = reader_.c_str();
    state.dwCurrentState = reader_state_at_open_;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        LONG rc =
            SCardGetStatusChange(context_.handle(), static_cast<DWORD>(left.count()), &state, 1);
        if (rc != SCARD_S_SUCCESS)
            return false;
        const DWORD now = state.dwEventState & ~SCARD_STATE_CHANGED;
        if (card_no_longer_there(reader_state_at_open_, now))
            return true;
        state.dwCurrentState = now;
    }
}

}  // namespace ballotbox::cardio
