// appliance_service (appliance_service.cpp, and appliance_service_cards.cpp for the card
// side): ballotboxd's loop-side core. It owns the poll_day and answers control
// requests, handles the cards of the table reader and runs the poll day's tick.
//
// Everything here runs on the daemon's io_context thread (one thread), so the poll_day is
// only ever called from that thread. Reader events arrive from the reader_monitor thread
// through on_reader_event(), which only posts them into the loop.
//
// Table readers (table_readers.h): every reader whose name contains one of the
// --table-reader patterns (one per member at the registration table), or, with none given,
// the first reader reported, kept until it is unplugged. Each has its own card-present
// state. A card inserted in any of them is handled at once inside one PC/SC transaction
// (card_session, wrapped in a deadline_transport so a mute card cannot hang the loop): first
// appliance::probe_card (a card that never answers, e.g. one PC/SC still lists after it was
// taken out while the daemon was down, is not recorded in the ledger), then
// poll_day::handle_card. Cards are handled one at a time on the loop, whichever reader they
// are in. The card event names the reader; the last report is kept for status and watch. A
// card reported "not voted yet" stays as it is until the poll worker sends cancel while it
// is still in the reader (poll_day::cancel_card re-reads and decides); with cards in several
// table readers the cancel must name the reader.
//
// Every command, card and state change is broadcast to watchers (via the control_server
// set with attach()) and logged (event_log); STATUS= lines go to systemd.
//
// Thread safety: loop thread only, except on_reader_event (any thread).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "appliance/daemon/control_server.h"
#include "appliance/daemon/daemon_clock.h"
#include "appliance/daemon/daemon_options.h"
#include "appliance/daemon/event_log.h"
#include "appliance/daemon/protocol_commands.h"
#include "appliance/daemon/table_readers.h"
#include "appliance/poll_day.h"
#include "cardio/reader_event.h"
#include "crypto/random.h"

namespace ballotbox::daemon {

class appliance_service final : public control_handler {
  public:
    // Loads the commission key, arms a training clock from a stored package, starts the
    // poll_day. Errors: daemon.commission_key, daemon.training_clock_time, poll_day::start's.
    static result<std::unique_ptr<appliance_service>> start(boost::asio::io_context& io,
                                                            const daemon_options& options,
                                                            event_log& log);

    void attach(control_server* server) { server_ = server; }

    boost::json::object handle(control_request& request) override;
    boost::json::object watch_snapshot() override;

    // From any thread: posts the event into the loop.
    void on_reader_event(const cardio::reader_event& event);

    // One tick of the poll day (from the loop's timer); broadcasts status at most once a
    // second of real time while someone watches.
    void tick();

    // How often tick() should run in real time: one appliance second, between 50 ms and 1 s.
    std::chrono::milliseconds tick_interval() const;

    std::string status_line() const;

  private:
    appliance_service(boost::asio::io_context& io, daemon_options options, event_log& log,
                      crypto::ed25519_public_key commission_key);

    void handle_reader_event(const cardio::reader_event& event);
    void handle_inserted_card(const std::string& reader, bool mute);
    // A card the daemon could not get a first answer from: never read, so nothing is
    // recorded. Gone (card.removed): only logged, no card report (the card is out of the
    // reader; it may have left while the daemon was down). Otherwise an unrecorded
    // "unreadable" report.
    void card_not_read(const error& e, const std::string& reader);
    appliance::card_report refused_report(appliance::refusal_reason reason, error detail) const;
    void publish_card(const appliance::card_report& report, const char* source,
                      const std::string& reader);
    void publish_status();
    boost::json::object status_json() const;
    boost::json::object command(control_request& request);
    boost::json::object cancel_command(const std::optional<std::string>& reader);
    protocol_context protocol_context_for() const;

    boost::asio::io_context& io_;
    daemon_options options_;
    event_log& log_;
    crypto::ed25519_public_key commission_key_;
    daemon_clock clock_;
    crypto::system_random random_;
    std::optional<appliance::poll_day> day_;
    control_server* server_ = nullptr;

    table_readers readers_;
    bool pcsc_up_ = true;
    std::optional<appliance::card_report> last_card_;
    std::string last_card_reader_;
    std::chrono::steady_clock::time_point last_broadcast_{};
    std::string last_notified_status_;
};

}  // namespace ballotbox::daemon
