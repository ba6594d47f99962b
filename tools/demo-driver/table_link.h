// table_link: the demo driver's two connections to ballotboxd's control socket
// (docs/control-protocol.md): a watcher that receives the daemon's card and status events,
// and a command connection (status, cancel). Reads are bounded by a deadline so a stuck
// daemon fails the demo instead of hanging it.
//
// Errors: cli.* from control_client, demo.daemon_silent (no card event in time),
// demo.refused_command (a command answered ok:false; the daemon's message is kept).
// Thread safety: one thread.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.h"
#include "tools/ballotbox/control_client.h"

namespace ballotbox::demo {

class table_link {
  public:
    static result<table_link> connect(const std::filesystem::path& socket);

    // The next {"event":"card"} card object; status events on the way are remembered.
    result<boost::json::object> next_card(std::chrono::milliseconds limit);
    // A command on the command connection; its response if ok, else demo.refused_command.
    result<boost::json::object> command(const boost::json::object& request);
    result<boost::json::object> status();
    // The last status seen on the watcher (empty before the first).
    const boost::json::object& last_status() const { return last_status_; }
    // Reads any events already waiting, without blocking.
    void drain();

  private:
    table_link(cli::control_client w, cli::control_client c)
        : watcher_(std::move(w)), commands_(std::move(c)) {}
    result<std::optional<boost::json::object>> read_event(std::chrono::milliseconds limit);
    cli::control_client watcher_;
    cli::control_client commands_;
    boost::json::object last_status_;
};

}  // namespace ballotbox::demo
