#include "tools/demo-driver/table_link.h"

#include <poll.h>

#include <boost/json/serialize.hpp>

namespace ballotbox::demo {

result<table_link> table_link::connect(const std::filesystem::path& socket) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto watcher, cli::control_client::connect(socket));
    BALLOTBOX_ASSIGN_OR_RETURN(auto commands, cli::control_client::connect(socket));
    BALLOTBOX_ASSIGN_OR_RETURN(auto r, watcher.request({{"command", "watch"}}));
    if (!r.contains("ok") || r.at("ok") != true)
        return make_error("demo.refused_command", "watch: " + boost::json::serialize(r));
    return table_link(std::move(watcher), std::move(commands));
}

result<std::optional<boost::json::object>> table_link::read_event(std::chrono::milliseconds limit) {
    if (!watcher_.has_buffered_line()) {
        pollfd p{.fd = watcher_.fd(), .events = POLLIN, .revents = 0};
        const int n = ::poll(&p, 1, static_cast<int>(limit.count()));
        if (n <= 0)
            return std::optional<boost::json::object>{};
    }
    BALLOTBOX_ASSIGN_OR_RETURN(auto line, watcher_.read_object());
    if (line.contains("event") && line.at("event") == "status" && line.contains("status") &&
        line.at("status").is_object())
        last_status_ = line.at("status").as_object();
    return std::optional<boost::json::object>(std::move(line));
}

result<boost::json::object> table_link::next_card(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return make_error("demo.daemon_silent",
                              "ballotboxd reported no card in the table reader within " +
                                  std::to_string(limit.count() / 1000) + " s");
        BALLOTBOX_ASSIGN_OR_RETURN(auto line, read_event(left));
        if (line && line->contains("event") && line->at("event") == "card" &&
            line->at("card").is_object())
            return line->at("card").as_object();
    }
}

void table_link::drain() {
    for (;;) {
        auto line = read_event(std::chrono::milliseconds(0));
        if (!line.ok() || !*line)
            return;
    }
}

result<boost::json::object> table_link::command(const boost::json::object& request) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto r, commands_.request(request));
    if (!r.contains("ok") || r.at("ok") != true)
        return make_error("demo.refused_command", boost::json::serialize(request.at("command")) +
                                                      " was refused: " + boost::json::serialize(r));
    return r;
}

result<boost::json::object> table_link::status() {
    BALLOTBOX_ASSIGN_OR_RETURN(auto r, command({{"command", "status"}}));
    if (!r.contains("status") || !r.at("status").is_object())
        return make_error("demo.refused_command", "status without a status object");
    return r.at("status").as_object();
}

}  // namespace ballotbox::demo
