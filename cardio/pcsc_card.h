// pcsc_card: one card operation on one reader through PC/SC-lite in this process, as a
// card_transport. It is the engine of card_session's card I/O process; use card_session,
// which bounds every exchange in time (a blocked SCardTransmit cannot be interrupted).
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
// A failed exchange that may mean the card was pulled out (an empty answer, which is what
// vpcd gives, SCARD_E_NOT_TRANSACTED, SCARD_E_COMM_DATA_LOST) is checked against the reader:
// if the card left it, or another card was inserted since the session opened (PC/SC-lite's
// event counter moved), within removal_check, the result is card.removed; otherwise the
// original error. That check waits at most removal_check, and only on this failure path.
//
// SCardTransmit itself has no time limit and nothing in PC/SC-lite interrupts it: a card that
// never answers blocks the calling thread (card_session runs it in a process it can kill).
// SCardBeginTransaction waits while another program holds the card in a transaction.
//
// Thread safety: one thread at a time (any thread). Not copyable or movable (held by pointer).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "cardio/card_transport.h"
#include "cardio/pcsc_context.h"

namespace ballotbox::cardio {

struct pcsc_card_options {
    // How long a failed exchange waits for the reader to report the card gone. Real readers
    // report at once; vpcd polls its cards every 400 ms.
    std::chrono::milliseconds removal_check{1500};
    friend bool operator==(const pcsc_card_options&, const pcsc_card_options&) = default;
};

class pcsc_card final : public card_transport {
  public:
    static result<std::unique_ptr<pcsc_card>> open(const std::string& reader,
                                                   pcsc_card_options options = {});

    pcsc_card(const pcsc_card&) = delete;
    pcsc_card& operator=(const pcsc_card&) = delete;
    ~pcsc_card() override;

    result<bytes> transmit(byte_view command_apdu) override;

    // "T=0" or "T=1": the protocol the card and reader agreed on.
    const char* protocol_name() const;
    const std::string& reader() const { return reader_; }

    // Ends the transaction and disconnects now, reporting a failure (the destructor ignores
    // it). Later transmits fail with card.session_closed.
    status close();

  private:
    pcsc_card(pcsc_context context, std::string reader, pcsc_card_options options)
        : context_(std::move(context)), reader_(std::move(reader)), options_(options) {}

    // True if the card left the reader (or was swapped) since the session opened, waiting at
    // most options_.removal_check for the reader to say so.
    bool card_left();

    pcsc_context context_;
    std::string reader_;
    pcsc_card_options options_;
    DWORD reader_state_at_open_ = SCARD_STATE_UNAWARE;
    SCARDHANDLE card_ = 0;
    DWORD protocol_ = 0;
    bool connected_ = false;
    bool in_transaction_ = false;
};

}  // namespace ballotbox::cardio
