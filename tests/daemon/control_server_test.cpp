// control_server in-process, with a small handler double that counts requests: a watcher
// that never reads is dropped once its queue passes the bound, and the others keep going.
#include "appliance/daemon/control_server.h"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "appliance/daemon/socket_file.h"
#include "tests/daemon/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace ballotbox::daemon;
using namespace ballotbox::test_daemon;
namespace asio = boost::asio;

struct counting_handler final : control_handler {
    int requests = 0;
    boost::json::object handle(control_request& request) override {
        ++requests;
        auto out = ok_response();
        out["command"] = to_string(request.command);
        out["requests"] = requests;
        return out;
    }
    boost::json::object watch_snapshot() override { return {{"event", "status"}}; }
};

// Runs `f` on the loop thread and waits for its result.
template <class F>
auto on_loop(asio::io_context& io, F f) {
    std::promise<decltype(f())> done;
    asio::post(io, [&] { done.set_value(f()); });
    return done.get_future().get();
}

TEST_CASE("a watcher that does not read is dropped and the socket keeps serving") {
    ballotbox::test_support::temp_dir dir("ballotbox-server");
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    counting_handler handler;
    event_log log(log_sink::stderr_text);
    control_server_options options;
    options.socket_path = dir / "s.sock";
    options.max_queued_bytes = 64 * 1024;
    auto server = control_server::listen(io, options, handler, log);
    REQUIRE(server.ok());
    std::thread loop([&] { io.run(); });

    auto slow = line_client::connect(options.socket_path);
    REQUIRE(slow.has_value());
    CHECK(slow->request({{"command", "watch"}}).at("watching") == true);
    int one = 1;  // a tiny receive buffer, so the kernel holds little for it
    ::setsockopt(slow->fd(), SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
    CHECK(on_loop(io, [&] { return (*server)->watcher_count(); }) == 1);

    const boost::json::object event{{"event", "status"}, {"padding", std::string(8192, 'p')}};
    std::size_t watchers = 1;
    for (int i = 0; i < 10000 && watchers > 0; ++i)
        watchers = on_loop(io, [&] {
            (*server)->broadcast(event);
            return (*server)->watcher_count();
        });
    CHECK(watchers == 0);
    // The dropped watcher reads what was sent, then the end of the stream.
    std::size_t lines = 0;
    while (slow->read_line())
        ++lines;
    CHECK(lines < 10000);

    auto other = line_client::connect(options.socket_path);
    REQUIRE(other.has_value());
    CHECK(is_ok(other->request({{"command", "status"}})));
    CHECK(on_loop(io, [&] { return std::filesystem::exists(options.socket_path); }));

    on_loop(io, [&] {
        (*server)->stop();
        return 0;
    });
    work.reset();
    io.stop();
    loop.join();
    CHECK_FALSE(std::filesystem::exists(options.socket_path));
}

TEST_CASE("the socket file is 0660, a live socket is not taken over, a file is not removed") {
    ballotbox::test_support::temp_dir dir("ballotbox-server");
    asio::io_context io;
    counting_handler handler;
    event_log log(log_sink::stderr_text);
    control_server_options options;
    options.socket_path = dir / "s.sock";
    auto server = control_server::listen(io, options, handler, log);
    REQUIRE(server.ok());
    auto perms = std::filesystem::status(options.socket_path).permissions();
    CHECK(perms == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                    std::filesystem::perms::group_read | std::filesystem::perms::group_write));

    auto second = control_server::listen(io, options, handler, log);
    REQUIRE_FALSE(second.ok());
    CHECK(second.err().code == "control.socket_in_use");

    (*server)->stop();
    { std::ofstream(dir / "plain") << "not a socket"; }
    options.socket_path = dir / "plain";
    auto third = control_server::listen(io, options, handler, log);
    REQUIRE_FALSE(third.ok());
    CHECK(third.err().code == "control.socket_path_taken");
    CHECK(read_text(dir / "plain") == "not a socket");
}

TEST_CASE("a stale socket file left by a killed daemon is replaced") {
    ballotbox::test_support::temp_dir dir("ballotbox-server");
    asio::io_context io;
    counting_handler handler;
    event_log log(log_sink::stderr_text);
    control_server_options options;
    options.socket_path = dir / "s.sock";
    {
        auto fd = ballotbox::daemon::bind_control_socket(options.socket_path, std::nullopt);
        REQUIRE(fd.ok());
        ::close(*fd);  // the file stays, nobody accepts on it
    }
    auto server = control_server::listen(io, options, handler, log);
    CHECK(server.ok());
}

}  // namespace
