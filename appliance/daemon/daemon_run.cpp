#include "appliance/daemon/daemon_run.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>

#include "appliance/daemon/appliance_service.h"
#include "appliance/daemon/control_server.h"
#include "appliance/daemon/socket_file.h"
#include "appliance/daemon/systemd_notify.h"
#include "cardio/reader_monitor.h"

namespace ballotbox::daemon {

namespace asio = boost::asio;

namespace {

// Re-arms `timer` every `interval` and calls `action` on the loop thread.
void every(asio::steady_timer& timer, std::chrono::steady_clock::duration interval,
           std::function<void()> action) {
    timer.expires_after(interval);
    timer.async_wait([&timer, interval, action = std::move(action)](boost::system::error_code ec) {
        if (ec)
            return;
        action();
        every(timer, interval, action);
    });
}

int fail(event_log& log, const error& e) {
    log.write(log_event::daemon_failed, log_priority::error, e.message, {{"code", e.code}});
    notify_status("failed: " + e.message);
    return 1;
}

}  // namespace

int run_daemon(const daemon_options& options, event_log& log) {
    log.write(log_event::daemon_started, log_priority::info, "ballotboxd starting",
              {{"state_dir", options.state_dir.string()},
               {"socket", options.socket_path.string()},
               {"training_clock", options.training_clock_start_at ? "yes" : "no"}});
    asio::io_context io(1);

    std::optional<gid_t> group;
    if (options.socket_group) {
        auto found = find_group(*options.socket_group);
        if (!found.ok())
            return fail(log, found.err());
        group = *found;
    }
    auto service = appliance_service::start(io, options, log);
    if (!service.ok())
        return fail(log, service.err());
    control_server_options server_options;
    server_options.socket_path = options.socket_path;
    server_options.group = group;
    auto server = control_server::listen(io, server_options, **service, log);
    if (!server.ok())
        return fail(log, server.err());
    (*service)->attach(server->get());

    appliance_service* core = service->get();
    cardio::reader_monitor monitor(
        [core](const cardio::reader_event& event) { core->on_reader_event(event); });

    asio::steady_timer tick_timer(io);
    every(tick_timer, core->tick_interval(), [core] { core->tick(); });
    asio::steady_timer watchdog_timer(io);
    if (const auto interval = watchdog_interval(); interval.count() > 0)
        every(watchdog_timer, interval, [] { notify_watchdog(); });

    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec)
            return;
        log.write(log_event::daemon_stopping, log_priority::notice, "ballotboxd stopping",
                  {{"signal", std::to_string(signal)}});
        notify_stopping();
        (*server)->stop();
        tick_timer.cancel();
        watchdog_timer.cancel();
        io.stop();
    });

    asio::post(io, [&] {
        notify_ready();
        notify_status(core->status_line());
        log.write(log_event::daemon_ready, log_priority::info,
                  "ballotboxd ready: " + core->status_line());
    });
    io.run();
    monitor.stop();
    (*server)->stop();
    (*service)->attach(nullptr);
    return 0;
}

}  // namespace ballotbox::daemon
