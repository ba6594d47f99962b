// card_session: one card operation on one reader through PC/SC-lite, as a card_transport.
//
// open() establishes a context of its own (PC/SC-lite contexts must not be shared between
// threads, and reader_monitor keeps its context blocked in SCardGetStatusChange), connects
// to the card in shared mode with T=0 or T=1 (whichever the card and reader agree on) and
// begins a transaction (SCardBeginTransaction), so no other program interleaves commands
// with the operation. A card that another program reset is reconnected once. The
// destructor, or close(), ends the transaction and disconnects, leaving the card as it is
// (SCARD_LEAVE_CARD), and releases the context.
//
// transmit() sends one APDU with the PCI of the active protocol. PC/SC errors come back as
// card.* errors (see pcsc_error.h): card.removed when the card was pulled out, card.reader_gone
// when the reader was unplugged, card.service_unavailable when pcscd stopped.
//
// SCardTransmit itself has no time limit: wrap the session in deadline_transport
// (card_transport_deadline.h) to bound a card that does not answer. SCardBeginTransaction
// waits while another program holds the card in a transaction.
//
// Thread safety: one thread at a time (any thread). Not copyable or movable (held by pointer).
#pragma once

#include <memory>
#include <string>

#include "cardio/card_transport.h"
#include "cardio/pcsc_context.h"

namespace ballotbox::cardio {

class card_session final : public card_transport {
  public:
    static result<std::unique_ptr<card_session>> open(const std::string& reader);

    card_session(const card_session&) = delete;
    card_session& operator=(const card_session&) = delete;
    ~card_session() override;

    result<bytes> transmit(byte_view command_apdu) override;

    // "T=0" or "T=1": the protocol the card and reader agreed on.
    const char* protocol_name() const;
    const std::string& reader() const { return reader_; }

    // Ends the transaction and disconnects now, reporting a failure (the destructor ignores
    // it). Later transmits fail with card.session_closed.
    status close();

  private:
    card_session(pcsc_context context, std::string reader)
        : context_(std::move(context)), reader_(std::move(reader)) {}

    pcsc_context context_;
    std::string reader_;
    SCARDHANDLE card_ = 0;
    DWORD protocol_ = 0;
    bool connected_ = false;
    bool in_transaction_ = false;
};

}  // namespace ballotbox::cardio
