#include "tools/demo-driver/table_link.h"

#include <poll.h>

#include <boost/json/serialize.hpp>

namespace ballotbox::demo {

result<std::shared_ptr<command_link>> command_link::connect(const std::filesystem::path& socket) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto client, cli::control_client::connect(socket));
    return std::shared_ptr<command_link>(new command_link(std::move(client)));
}

result<boost::json::object> command_link::command(const boost::json::object& request) {
    std::lock_guard lock(mutex_);
    BALLOTBOX_ASSIGN_OR_RETURN(auto r, client_.request(request));
    if (!r.contains("ok") || r.at("ok") != true)
        return make_error("demo.refused_command", boost::json::serialize(request.at("command")) +
                                                      " was refused: " + boost::json::serialize(r));
    return r;
}

result<boost::json::object> command_link::status() {
    BALLOTBOX_ASSIGN_OR_RETURN(auto r, command({{"command", "status"}}));
    if (!r.contains("status") || !r.at("status").is_object())
        return make_error("demo.refused_command", "status without a status object");
    return r.at("status").as_object();
}

result<table_link> table_link::connect(const std::filesystem::path& socket,
                                       std::shared_ptr<command_link> commands,
                                       std::string table_reader) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto watcher, cli::control_client::connect(socket));
    BALLOTBOX_ASSIGN_OR_RETURN(auto r, watcher.request({{"command", "watch"}}));
    if (!r.contains("ok") || r.at("ok") != true)
        return make_error("demo.refused_command", "watch: " + boost::json::serialize(r));
    return table_link(std::move(watcher), std::move(commands), std::move(table_reader));
}

result<std::optional<boost::json::object>> table_link::read_event(std::chrono::milliseconds limit) {
    if (!watcher_.has_buffered_line()) {
        pollfd p{.fd = watcher_.fd(), .events = POLLIN, .revents = 0};
        const int n = ::poll(&p, 1, static_cast<int>(limit.count()));
        if (n <= 0)
            return std::optional<boost::json::object>{};
    }
    BALLOTBOX_ASSIGN_OR_RETURN(auto line, watcher_.read_object());
    return std::optional<boost::json::object>(std::move(line));
}

result<boost::json::object> table_link::next_card(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return make_error("demo.daemon_silent",
                              "ballotboxd reported no card in the table "
                              "reader " +
                                  reader_ + " within " + std::to_string(limit.count() / 1000) +
                                  " s");
        BALLOTBOX_ASSIGN_OR_RETURN(auto line, read_event(left));
        if (!line || !line->contains("event") || line->at("event") != "card" ||
            !line->at("card").is_object())
            continue;
        const auto& card = line->at("card").as_object();
        if (card.contains("reader") && card.at("reader") == reader_.c_str())
            return card;
    }
}

}  // namespace ballotbox::demo
