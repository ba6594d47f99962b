// control_server: the control socket of ballotboxd — a Unix-domain stream socket speaking
// JSON lines (docs/control-protocol.md) — on the daemon's Boost.Asio io_context.
//
// listen() creates the socket file (refusing to replace anything but a stale socket: a
// socket some process still answers on is control.socket_in_use, any other file
// control.socket_path_taken), then sets its mode to 0660 and, when a group is given, its
// group: the file's mode and group decide who may command the appliance. Each client
// sends one request per line; each request gets exactly one response line, in order.
// Requests go to the control_handler on the loop thread, one at a time. After "watch" the
// client also receives every broadcast() event line until it disconnects (it may keep
// sending requests on the same connection; responses carry "ok", events carry "event").
//
// Hostile clients: a line over max_line_bytes gets control.line_too_long and the
// connection is closed (the framing is lost); a malformed request gets its error and the
// connection stays; a client beyond max_clients gets control.too_many_clients and is
// closed; a client whose unsent output passes max_queued_bytes (a watcher that does not
// read, or a client that pipelines without reading) is dropped, so no client can block or
// exhaust the daemon. Request lines are wiped from memory once handled (they may hold the
// opening secret).
//
// stop() closes the acceptor and every client and removes the socket file. Thread safety:
// every method on the loop thread only.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>

#include "appliance/daemon/control_request.h"
#include "appliance/daemon/event_log.h"
#include "common/result.h"

namespace ballotbox::daemon {

class control_handler {
  public:
    virtual ~control_handler() = default;
    // One request other than watch; returns the whole response object ({"ok": ...}).
    virtual boost::json::object handle(control_request& request) = 0;
    // The first event a new watcher receives (the current state and last card).
    virtual boost::json::object watch_snapshot() = 0;
};

struct control_server_options {
    std::filesystem::path socket_path;
    std::optional<gid_t> group;  // the socket file's group; nullopt: the daemon's own
    std::size_t max_clients = 16;
    std::size_t max_queued_bytes = 1024 * 1024;
};

// The response helpers every part of the daemon uses.
boost::json::object ok_response();
boost::json::object error_response(const error& e);

class control_server {
  public:
    static result<std::unique_ptr<control_server>> listen(boost::asio::io_context& io,
                                                          control_server_options options,
                                                          control_handler& handler, event_log& log);
    ~control_server();
    control_server(const control_server&) = delete;
    control_server& operator=(const control_server&) = delete;

    // Sends one event line to every watcher.
    void broadcast(const boost::json::object& event);
    void stop();

    std::size_t client_count() const;
    std::size_t watcher_count() const;

    class impl;

  private:
    explicit control_server(std::shared_ptr<impl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<impl> impl_;
};

}  // namespace ballotbox::daemon
