// card_session: one card operation on one reader through PC/SC-lite, as a card_transport,
// with a time limit on every exchange that leaves nothing running when a card never answers.
//
// PC/SC-lite cannot interrupt a blocked SCardTransmit: its client waits for pcscd without a
// time limit, SCardCancel only ends SCardGetStatusChange, and releasing the context from
// another thread blocks on the same lock. So open() forks a card I/O process that holds the
// PC/SC connection (a pcsc_card: its own context, SCardConnect in shared mode with T=0 or T=1,
// SCardBeginTransaction; see pcsc_card.h) and relays APDUs over a socket pair
// (card_io_wire.h). The child keeps only that socket and stdio (every other inherited
// descriptor is closed at once, so it never holds the parent's files or sockets open).
// A child whose session ended cleanly (closed, or an open the card refused) is kept idle,
// up to four per process, and serves a later session with the same PC/SC options: most
// cards then cost no fork. A child that failed, timed out or was abandoned is always killed
// and reaped; an idle one that died is replaced at the next open. Idle children end when
// this process does (their socket closes).
//
// Every exchange with the child (open, each transmit, close) waits at most
// options.answer_limit. When the card does not answer in time, the child is killed and
// reaped, transmit() returns card.timeout, and the session is spent: every later transmit()
// returns card.timeout at once. abandon() does the same from another thread (a
// deadline_transport calls it), so a transmit blocked there returns at once. A child that
// dies returns card.io_process_died. PC/SC errors come back as card.* errors as pcsc_card
// reports them (card.removed, card.reader_gone, card.service_unavailable, ...).
//
// close() (or the destructor) asks the child to end the transaction and disconnect
// (SCARD_LEAVE_CARD), waits for it at most answer_limit, then reaps it (killing it first if it
// did not finish). After a timeout pcscd itself may stay busy with the mute card until the
// card answers or leaves the reader; nothing in this process waits for that.
//
// Thread safety: one thread calls open/transmit/close at a time; abandon() may be called from
// any thread. Not copyable or movable (held by pointer).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "cardio/card_io_wire.h"
#include "cardio/card_transport.h"
#include "cardio/pcsc_card.h"

namespace ballotbox::cardio {

struct card_session_options {
    // How long one exchange may take: opening (connect and transaction), each APDU, closing.
    // Real cards answer within a second; this must exceed pcsc.removal_check.
    std::chrono::milliseconds answer_limit{4000};
    pcsc_card_options pcsc{};
};

class card_session final : public card_transport {
  public:
    static result<std::unique_ptr<card_session>> open(const std::string& reader,
                                                      card_session_options options = {});

    card_session(const card_session&) = delete;
    card_session& operator=(const card_session&) = delete;
    ~card_session() override;

    result<bytes> transmit(byte_view command_apdu) override;

    // Kills the card I/O process: a transmit() in progress returns card.timeout at once and
    // the session is spent. Safe from any thread; returns true.
    bool abandon() override;

    // "T=0" or "T=1": the protocol the card and reader agreed on.
    const char* protocol_name() const { return t0_ ? "T=0" : "T=1"; }
    const std::string& reader() const { return reader_; }

    // Ends the transaction and disconnects now, reporting a failure (the destructor ignores
    // it). Later transmits fail with card.session_closed.
    status close();

    // The card I/O process, 0 once it was reaped (for tests).
    pid_t child() const;

  private:
    card_session(std::string reader, card_session_options options)
        : reader_(std::move(reader)), options_(options) {}

    status start();
    status fork_process();
    void drop_process();         // kills and reaps the child, closes the socket
    void keep_or_end_process();  // a child that finished cleanly: idle for reuse, or ended
    // Sends one request and waits at most answer_limit for the reply.
    result<card_io_wire::reply> exchange(byte_view request);
    void kill_child();
    void reap();
    error timeout_error() const;

    std::string reader_;
    card_session_options options_;
    int socket_ = -1;
    bool t0_ = false;
    bool closed_ = false;
    bool spent_ = false;
    std::atomic<bool> abandoned_{false};
    mutable std::mutex child_mutex_;  // guards child_ between kill and reap
    pid_t child_ = 0;
};

}  // namespace ballotbox::cardio
