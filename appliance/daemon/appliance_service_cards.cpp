// appliance_service's card side (see appliance_service.h): the table readers' events, the
// cards inserted in them, and the poll worker's cancel. Loop thread only.
#include <memory>

#include "appliance/card_io.h"
#include "appliance/daemon/appliance_service.h"
#include "appliance/daemon/status_json.h"
#include "cardio/card_session.h"
#include "cardio/card_transport_deadline.h"

namespace ballotbox::daemon {

namespace {

// A card that does not answer within this is treated as unreadable, so it cannot hang the loop.
constexpr std::chrono::milliseconds card_answer_limit{5000};

}  // namespace

void appliance_service::handle_reader_event(const cardio::reader_event& event) {
    using kind = cardio::reader_event_kind;
    switch (event.kind) {
        case kind::reader_added:
            if (readers_.find(event.reader) == nullptr && readers_.reader_added(event.reader)) {
                log_.write(log_event::reader_changed, log_priority::info,
                           "table reader: " + event.reader,
                           {{"reader", event.reader}, {"change", "table_reader_chosen"}});
                publish_status();
            }
            return;
        case kind::reader_gone:
            if (readers_.reader_gone(event.reader)) {
                log_.write(log_event::reader_changed, log_priority::warning,
                           "the table reader was unplugged: " + event.reader,
                           {{"reader", event.reader}, {"change", "table_reader_gone"}});
                publish_status();
            }
            return;
        case kind::card_inserted:
            if (auto* table = readers_.find(event.reader); table != nullptr) {
                table->card_present = true;
                handle_inserted_card(event.reader, event.mute);
            }
            return;
        case kind::card_removed:
            if (auto* table = readers_.find(event.reader); table != nullptr) {
                table->card_present = false;
                publish_status();
            }
            return;
        case kind::service_lost:
            pcsc_up_ = false;
            readers_.clear();
            log_.write(log_event::pcsc_service_lost, log_priority::error,
                       "the PC/SC service stopped: " + event.problem.message,
                       {{"code", event.problem.code}});
            publish_status();
            return;
        case kind::service_back:
            pcsc_up_ = true;
            log_.write(log_event::pcsc_service_back, log_priority::notice,
                       "the PC/SC service answers again");
            publish_status();
            return;
    }
}

void appliance_service::handle_inserted_card(const std::string& reader, bool mute) {
    if (mute) {
        publish_card(refused_report(appliance::refusal_reason::unreadable,
                                    make_error("card.mute", "the card does not answer to reset")),
                     "card", reader);
        return;
    }
    auto session = cardio::card_session::open(reader);
    if (!session.ok()) {
        card_not_read(session.err(), reader);
        return;
    }
    cardio::deadline_transport card(std::shared_ptr<cardio::card_transport>(std::move(*session)),
                                    card_answer_limit);
    if (auto probed = appliance::probe_card(card); !probed.ok()) {
        card_not_read(probed.err(), reader);
        return;
    }
    publish_card(day_->handle_card(card), "card", reader);
}

void appliance_service::card_not_read(const error& e, const std::string& reader) {
    if (e.code == "card.removed") {
        log_.write(log_event::card_result, log_priority::info,
                   "a card left the table reader before it answered: nothing read, nothing "
                   "recorded",
                   {{"outcome", "not_read"},
                    {"source", "card"},
                    {"reader", reader},
                    {"detail_code", e.code}});
        publish_status();
        return;
    }
    publish_card(refused_report(appliance::refusal_reason::unreadable, e), "card", reader);
}

boost::json::object appliance_service::cancel_command(const std::optional<std::string>& named) {
    auto table = readers_.find_for_cancel(named);
    if (!table.ok())
        return error_response(table.err());
    const std::string reader = (*table)->name;
    const auto no_card =
        make_error("daemon.no_card", "there is no card in the table reader " + reader +
                                         ": put the card to cancel back in the reader, then "
                                         "cancel");
    auto session = cardio::card_session::open(reader);
    if (!session.ok())
        return error_response(session.err().code == "card.removed" ? no_card : session.err());
    cardio::deadline_transport card(std::shared_ptr<cardio::card_transport>(std::move(*session)),
                                    card_answer_limit);
    if (auto probed = appliance::probe_card(card); !probed.ok())
        return error_response(probed.err().code == "card.removed" ? no_card : probed.err());
    auto report = day_->cancel_card(card);
    publish_card(report, "cancel", reader);
    auto card_json = to_json(report);
    card_json["reader"] = reader;
    if (report.outcome == appliance::card_outcome::cancelled) {
        auto out = ok_response();
        out["card"] = std::move(card_json);
        return out;
    }
    auto out = error_response(report.detail.value_or(
        make_error("appliance.cancel_refused", report.headline.en + ": " + report.what_to_do.en)));
    out["card"] = std::move(card_json);
    return out;
}

}  // namespace ballotbox::daemon
