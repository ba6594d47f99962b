// daemon_fixture: runs the built ballotboxd as a child process for end-to-end tests, with a
// state directory, a control socket path, a commission key and any further options (the
// training clock, the table reader), and talks JSON lines to its control socket.
//
// start() forks and execs <build>/appliance/daemon/ballotboxd with --state-dir, --socket,
// --commission-key, --log=stderr and the extra arguments (environment: the test's, plus
// `extra_env`), its stdout and stderr appended to one log file (each start begins with a
// "==== fixture: start N" line), and waits until the socket accepts a connection (at most
// 30 s). kill() sends SIGKILL and reaps; stop() sends SIGTERM and waits (SIGKILL after 20 s);
// restart() starts it again with the same or new extra arguments. The destructor stops a
// daemon still running. Nothing of the state directory is touched here.
//
// daemon_connection: one blocking client of the control socket (reads time out, so a broken
// daemon fails the test instead of hanging it). request() sends one request and returns its
// response, keeping any event lines that arrive meanwhile for next_event().
//
// Errors are values (test_support.daemon_*), so tests REQUIRE them with the log as message.
// Thread safety: none; one owner thread (the child is reaped by that thread).
#pragma once

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ballotbox::test_support {

struct daemon_config {
    std::filesystem::path state_dir;
    std::filesystem::path socket;
    std::filesystem::path log;             // appended to by every start
    std::filesystem::path commission_key;  // PEM public key
    std::vector<std::string> extra_args;   // e.g. --table-reader=..., --training-clock-start=...
    std::vector<std::string> extra_env;    // NAME=VALUE added to the daemon's environment
};

std::filesystem::path ballotboxd_binary();  // in the build tree
std::filesystem::path cardsim_binary();     // in the build tree

class daemon_connection {
  public:
    static result<daemon_connection> connect(const std::filesystem::path& socket);
    daemon_connection(daemon_connection&& other) noexcept;
    daemon_connection& operator=(daemon_connection&& other) noexcept;
    daemon_connection(const daemon_connection&) = delete;
    ~daemon_connection();

    // Sends one request line; returns the response (events that arrive first are queued).
    // Errors: test_support.daemon_gone (connection closed or timed out), .daemon_bad_line.
    result<boost::json::object> request(const boost::json::object& request);
    // The next event line ({"event": ...}), waiting at most `limit`.
    result<boost::json::object> next_event(std::chrono::milliseconds limit);
    // The next {"event":"card"} event's card object (status events are skipped).
    result<boost::json::object> next_card(std::chrono::milliseconds limit);

  private:
    explicit daemon_connection(int fd) : fd_(fd) {}
    result<boost::json::object> read_object(std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    std::string buffer_;
    std::deque<boost::json::object> events_;
};

class daemon_fixture {
  public:
    static result<std::unique_ptr<daemon_fixture>> start(daemon_config config);
    ~daemon_fixture();
    daemon_fixture(const daemon_fixture&) = delete;
    daemon_fixture& operator=(const daemon_fixture&) = delete;

    void kill();  // SIGKILL now, reap
    int stop();   // SIGTERM, wait; exit status, or -1 when it had to be killed / was not running
    // Starts again (after kill or stop; stops a running one first with SIGTERM).
    status restart();
    status restart(std::vector<std::string> extra_args);

    result<daemon_connection> connect() const { return daemon_connection::connect(config_.socket); }
    // One request on a fresh connection.
    result<boost::json::object> request(const boost::json::object& request) const;
    // The "status" response's status object, or an error.
    result<boost::json::object> poll_status() const;

    bool running();
    pid_t pid() const { return pid_; }
    const daemon_config& config() const { return config_; }
    std::string log_tail(std::size_t max_bytes = 8000) const;

  private:
    explicit daemon_fixture(daemon_config config) : config_(std::move(config)) {}
    status launch();

    daemon_config config_;
    pid_t pid_ = -1;
    int starts_ = 0;
};

// The response's error code, "(ok)" for a success.
std::string error_code_of(const boost::json::object& response);
bool is_ok_response(const boost::json::object& response);

}  // namespace ballotbox::test_support
