#include "appliance/daemon/appliance_service.h"

#include <boost/asio/post.hpp>
#include <boost/json/array.hpp>
#include <filesystem>

#include "appliance/daemon/ledger_time.h"
#include "appliance/daemon/portable_commands.h"
#include "appliance/daemon/status_json.h"
#include "appliance/daemon/systemd_notify.h"
#include "appliance/state_files.h"
#include "common/bytes.h"
#include "election/signed_package.h"

namespace ballotbox::daemon {

namespace {

boost::json::object fail(const error& e) {
    return error_response(e);
}

}  // namespace

appliance_service::appliance_service(boost::asio::io_context& io, daemon_options options,
                                     event_log& log, crypto::ed25519_public_key commission_key)
    : io_(io),
      options_(std::move(options)),
      log_(log),
      commission_key_(std::move(commission_key)),
      clock_(options_.training_clock_start_at, options_.training_clock_speed.value_or(1)),
      readers_(options_.table_readers) {}

result<std::unique_ptr<appliance_service>> appliance_service::start(boost::asio::io_context& io,
                                                                    const daemon_options& options,
                                                                    event_log& log) {
    auto key = crypto::ed25519_public_key::load(options.commission_key);
    if (!key.ok())
        return make_error("daemon.commission_key", "cannot read the commission's public key \"" +
                                                       options.commission_key.string() +
                                                       "\": " + key.err().message);
    std::unique_ptr<appliance_service> service(
        new appliance_service(io, options, log, std::move(key).value()));
    if (service->clock_.is_training()) {
        const auto stored = options.state_dir / "package.json";
        if (std::filesystem::exists(stored)) {
            election::load_options load;
            load.expected_station_id = options.station_id;
            BALLOTBOX_ASSIGN_OR_RETURN(auto package, election::load_signed_package_file(
                                                         stored, service->commission_key_, load));
            // Resume the day's clock: never behind what the ledger already holds.
            BALLOTBOX_ASSIGN_OR_RETURN(
                auto latest, latest_recorded_time(options.state_dir / appliance::ledger_file_name));
            BALLOTBOX_TRY(service->clock_.arm(package.time_zone, latest));
            if (service->clock_.resumed())
                log.write(log_event::daemon_started, log_priority::notice,
                          "the training clock resumes at " +
                              iso_utc(*service->clock_.started_at()) +
                              ", the latest time the ledger holds (the given start is earlier)",
                          {{"training_clock_resumed_at", iso_utc(*service->clock_.started_at())}});
        }
    }
    appliance::poll_day_config config{
        .state_dir = options.state_dir,
        .commission_key = service->commission_key_,
        .expected_station_id = options.station_id,
        .clock = &service->clock_,
        .random = &service->random_,
        .ledger_vfs = {},
        .clock_is_training = service->clock_.is_training(),
    };
    BALLOTBOX_ASSIGN_OR_RETURN(auto day, appliance::poll_day::start(config));
    service->day_.emplace(std::move(day));
    return service;
}

std::chrono::milliseconds appliance_service::tick_interval() const {
    const auto one_second = std::chrono::milliseconds(1000) / clock_.speed();
    return std::clamp(one_second, std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
}

std::string appliance_service::status_line() const {
    const auto s = day_->status();
    std::string line = std::string(s.training ? "TRAINING " : "") +
                       std::string(appliance::poll_state_name(s.state));
    if (s.state != appliance::poll_state::unconfigured)
        line += ": issued " + std::to_string(s.counts.issued) + ", cast " +
                std::to_string(s.counts.cast) + ", cancelled " + std::to_string(s.counts.cancelled);
    if (readers_.empty())
        line += "; no table reader";
    else if (readers_.all().size() > 1)
        line += "; " + std::to_string(readers_.all().size()) + " table readers";
    if (!pcsc_up_)
        line += "; PC/SC service down";
    return line;
}

boost::json::object appliance_service::status_json() const {
    auto o = to_json(day_->status());
    if (last_card_)
        o["last_card"] = to_json(*last_card_);
    if (last_card_ && !last_card_reader_.empty())
        o["last_card"].as_object()["reader"] = last_card_reader_;
    const auto& readers = readers_.all();
    o["table_reader"] =
        readers.empty() ? boost::json::value(nullptr) : boost::json::value(readers.front().name);
    boost::json::array list;
    for (const auto& r : readers)
        list.push_back(boost::json::object{{"name", r.name}, {"card_present", r.card_present}});
    o["table_readers"] = std::move(list);
    o["card_present"] = readers_.any_card_present();
    o["pcsc"] = pcsc_up_ ? "up" : "down";
    o["training_clock_speed"] = clock_.speed();
    return o;
}

void appliance_service::publish_status() {
    const std::string line = status_line();
    if (line != last_notified_status_) {
        notify_status(line);
        last_notified_status_ = line;
    }
    if (server_ != nullptr && server_->watcher_count() > 0) {
        server_->broadcast({{"event", "status"}, {"status", status_json()}});
        last_broadcast_ = std::chrono::steady_clock::now();
    }
}

void appliance_service::publish_card(const appliance::card_report& report, const char* source,
                                     const std::string& reader) {
    last_card_ = report;
    last_card_reader_ = reader;
    log_fields fields{{"outcome", std::string(appliance::card_outcome_name(report.outcome))},
                      {"source", source},
                      {"reader", reader}};
    if (report.reason) {
        fields.emplace_back("reason", std::string(appliance::refusal_reason_name(*report.reason)));
        fields.emplace_back("reason_code", std::to_string(appliance::reason_code(*report.reason)));
    }
    if (report.outcome == appliance::card_outcome::accepted)
        fields.emplace_back("running_number", std::to_string(report.running_number));
    if (report.ledger_seq)
        fields.emplace_back("ledger_seq", std::to_string(*report.ledger_seq));
    if (report.detail)
        fields.emplace_back("detail_code", report.detail->code);
    const bool refused = report.outcome == appliance::card_outcome::refused;
    log_.write(log_event::card_result, refused ? log_priority::notice : log_priority::info,
               report.headline.en, fields);
    if (server_ != nullptr) {
        auto card = to_json(report);
        card["reader"] = reader;
        server_->broadcast({{"event", "card"}, {"card", std::move(card)}});
    }
    publish_status();
}

appliance::card_report appliance_service::refused_report(appliance::refusal_reason reason,
                                                         error detail) const {
    appliance::card_report report;
    report.outcome = appliance::card_outcome::refused;
    report.reason = reason;
    report.headline = appliance::refusal_headline(reason);
    report.what_to_do = appliance::refusal_what_to_do(reason);
    report.training = day_->status().training;
    report.detail = std::move(detail);
    return report;
}

void appliance_service::on_reader_event(const cardio::reader_event& event) {
    boost::asio::post(io_, [this, event] { handle_reader_event(event); });
}

protocol_context appliance_service::protocol_context_for() const {
    const auto st = day_->status();
    protocol_context ctx;
    ctx.state_dir = options_.state_dir;
    ctx.commission_key = &commission_key_;
    ctx.station_id = options_.station_id;
    ctx.printer = options_.printer;
    ctx.clock = &clock_;
    ctx.state = st.state;
    ctx.cast = st.counts.cast;
    return ctx;
}

boost::json::object appliance_service::command(control_request& request) {
    switch (request.command) {
        case control_command::status: {
            auto out = ok_response();
            out["status"] = status_json();
            return out;
        }
        case control_command::setup: {
            if (clock_.is_training() && !clock_.armed()) {
                election::load_options load;
                load.expected_station_id = options_.station_id;
                auto package =
                    election::load_signed_package(request.package, commission_key_, load);
                if (!package.ok())
                    return fail(package.err());
                if (package->training)
                    if (auto armed = clock_.arm(package->time_zone); !armed.ok())
                        return fail(armed.err());
            }
            std::optional<appliance::portable_kit> kit;
            if (!request.portable_kit.view().empty()) {
                auto parsed = appliance::parse_portable_kit(as_chars(request.portable_kit.view()));
                request.portable_kit.wipe();
                if (!parsed.ok())
                    return fail(parsed.err());
                kit.emplace(std::move(*parsed));
            }
            auto summary = day_->setup(request.package, kit ? &*kit : nullptr);
            if (!summary.ok())
                return fail(summary.err());
            auto out = ok_response();
            out["setup"] = to_json(*summary);
            return out;
        }
        case control_command::open: {
            auto opened = day_->open(as_chars(request.secret.view()));
            request.secret.wipe();
            if (!opened.ok())
                return fail(opened.err());
            return ok_response();
        }
        case control_command::close: {
            auto closed = day_->close(request.voters_added);
            if (!closed.ok())
                return fail(closed.err());
            return ok_response();
        }
        case control_command::style: {
            auto chosen = day_->select_style(request.style);
            if (!chosen.ok())
                return fail(chosen.err());
            return ok_response();
        }
        case control_command::cancel:
            return cancel_command(request.reader);
        case control_command::print: {
            auto printed = print_protocol(protocol_context_for(), request.copies);
            if (!printed.ok())
                return fail(printed.err());
            auto out = ok_response();
            boost::json::object p;
            p["kind"] = protocol::report_kind_name(printed->kind);
            p["printed"] = printed->printed;
            p["pdf"] = printed->pdf.string();
            p["copies"] = printed->copies;
            if (printed->printed) {
                p["printer"] = printed->printer;
                p["job_id"] = printed->job_id;
            }
            p["message"] = printed->message;
            out["print"] = std::move(p);
            return out;
        }
        case control_command::export_: {
            auto exported = export_protocol_files(protocol_context_for());
            if (!exported.ok())
                return fail(exported.err());
            auto out = ok_response();
            boost::json::object files;
            for (const auto& f : exported->files)
                files[f.name] = to_base64(as_bytes(f.content));
            out["export"] =
                boost::json::object{{"kind", protocol::report_kind_name(exported->kind)},
                                    {"dir", exported->dir.string()},
                                    {"files", std::move(files)}};
            return out;
        }
        case control_command::portable_kit:
        case control_command::register_portable:
        case control_command::import_portable:
        case control_command::portable_not_used:
            return run_portable_command(*day_, options_.state_dir, request);
        case control_command::watch:
            break;
    }
    return fail(make_error("daemon.internal", "unhandled command"));
}

boost::json::object appliance_service::handle(control_request& request) {
    auto out = command(request);
    request.secret.wipe();
    const bool ok = out["ok"].as_bool();
    if (request.command != control_command::status) {
        log_fields fields{{"command", to_string(request.command)}, {"ok", ok ? "yes" : "no"}};
        if (!ok)
            fields.emplace_back("code", std::string(out["error"].at("code").as_string()));
        log_.write(log_event::operator_command, ok ? log_priority::notice : log_priority::warning,
                   std::string(to_string(request.command)) + (ok ? " done" : " refused"), fields);
        if (request.command != control_command::cancel)
            publish_status();
    }
    if (ok && request.command != control_command::status &&
        request.command != control_command::cancel) {
        out["status"] = status_json();
    }
    return out;
}

boost::json::object appliance_service::watch_snapshot() {
    return {{"event", "status"}, {"status", status_json()}};
}

void appliance_service::tick() {
    if (auto ticked = day_->tick(); !ticked.ok())
        log_.write(log_event::tick_failed, log_priority::error, ticked.err().message,
                   {{"code", ticked.err().code}});
    const auto now = std::chrono::steady_clock::now();
    if (now - last_broadcast_ >= std::chrono::seconds(1))
        publish_status();
}

}  // namespace ballotbox::daemon
