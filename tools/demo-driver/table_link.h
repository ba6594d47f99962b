// table_link: the demo driver's connections to ballotboxd's control socket
// (docs/control-protocol.md). Each lane has its own watcher, which receives the daemon's card
// events and keeps those from its own table reader (a card event names its "reader"); all
// lanes share one command connection (status, cancel), used under a lock. Reads are bounded
// by a deadline so a stuck daemon fails the demo instead of hanging it.
//
// Errors: cli.* from control_client, demo.daemon_silent (no card event in time),
// demo.refused_command (a command answered ok:false; the daemon's message is kept).
// Thread safety: a table_link belongs to one lane thread; command() and status() may be
// called from any thread (the shared connection is locked).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"
#include "tools/ballotbox/control_client.h"

namespace ballotbox::demo {

// The one command connection, shared by the lanes and the progress display.
class command_link {
  public:
    static result<std::shared_ptr<command_link>> connect(const std::filesystem::path& socket);
    // Its response if ok, else demo.refused_command.
    result<boost::json::object> command(const boost::json::object& request);
    result<boost::json::object> status();

  private:
    explicit command_link(cli::control_client c) : client_(std::move(c)) {}
    std::mutex mutex_;
    cli::control_client client_;
};

class table_link {
  public:
    // A watcher for the card events of `table_reader` (the exact reader name).
    static result<table_link> connect(const std::filesystem::path& socket,
                                      std::shared_ptr<command_link> commands,
                                      std::string table_reader);

    // The next {"event":"card"} card object from this lane's table reader.
    result<boost::json::object> next_card(std::chrono::milliseconds limit);
    result<boost::json::object> command(const boost::json::object& request) {
        return commands_->command(request);
    }

  private:
    table_link(cli::control_client w, std::shared_ptr<command_link> c, std::string reader)
        : watcher_(std::move(w)), commands_(std::move(c)), reader_(std::move(reader)) {}
    result<std::optional<boost::json::object>> read_event(std::chrono::milliseconds limit);
    cli::control_client watcher_;
    std::shared_ptr<command_link> commands_;
    std::string reader_;
};

}  // namespace ballotbox::demo
