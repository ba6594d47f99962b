// daemon_process: test helper (header-only, shared by tests/daemon and tests/daemon_pcsc):
// runs the built ballotboxd as a child process with its stderr in a log file, waits until
// its control socket answers, and stops it (SIGTERM, then SIGKILL) when destroyed.
// line_client: a blocking Unix-socket client that sends raw bytes and reads JSON lines,
// for driving the control protocol byte by byte (hostile input included).
// Not thread-safe; one test thread.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/canonical_json.h"

namespace ballotbox::test_daemon {

inline std::string daemon_binary() {
    return std::string(BALLOTBOX_BINARY_DIR) + "/appliance/daemon/ballotboxd";
}
inline std::string cli_binary() {
    return std::string(BALLOTBOX_BINARY_DIR) + "/tools/ballotbox/ballotbox";
}
inline std::string source_file(const std::string& relative) {
    return std::string(BALLOTBOX_SOURCE_DIR) + "/" + relative;
}
inline std::string training_package_path() {
    return source_file("docs/examples/kz-2023-majilis-astana-01.package.json");
}
inline std::string training_commission_key() {
    return source_file("docs/examples/training-commission.pub.pem");
}
inline constexpr const char* training_secret = "training-envelope-2023";

inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class line_client {
  public:
    static std::optional<line_client> connect(const std::filesystem::path& path) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return std::nullopt;
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
            ::close(fd);
            return std::nullopt;
        }
        timeval limit{30, 0};  // a broken daemon fails the test instead of hanging it
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
        return line_client(fd);
    }
    line_client(line_client&& o) noexcept : fd_(o.fd_), buffer_(std::move(o.buffer_)) {
        o.fd_ = -1;
    }
    line_client(const line_client&) = delete;
    ~line_client() {
        if (fd_ >= 0)
            ::close(fd_);
    }

    // False when the daemon closed the connection (EPIPE/ECONNRESET).
    bool send_raw(std::string_view bytes) {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }
    // The next line, or nullopt at end of stream / error.
    std::optional<std::string> read_line() {
        for (;;) {
            if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return line;
            }
            char chunk[65536];
            const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
            if (n <= 0)
                return std::nullopt;
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }
    // The next line that is a response (not an "event"), parsed; an empty object on failure.
    boost::json::object read_response() {
        while (auto line = read_line()) {
            auto parsed = parse_json_strict(*line);
            REQUIRE_MESSAGE(parsed.ok(), "the daemon sent a line that is not JSON: " << *line);
            REQUIRE(parsed->is_object());
            if (!parsed->get_object().contains("event"))
                return parsed->get_object();
        }
        return {};
    }
    boost::json::object request(const boost::json::object& request) {
        REQUIRE(send_raw(boost::json::serialize(request) + "\n"));
        return read_response();
    }
    int fd() const { return fd_; }

  private:
    explicit line_client(int fd) : fd_(fd) {}
    int fd_ = -1;
    std::string buffer_;
};

inline std::string error_code(const boost::json::object& response) {
    if (!response.contains("error"))
        return response.contains("ok") ? "(ok)" : "(no response)";
    return std::string(response.at("error").at("code").as_string());
}

inline bool is_ok(const boost::json::object& response) {
    return response.contains("ok") && response.at("ok") == true;
}

class daemon_process {
  public:
    // Starts ballotboxd with --socket/--state-dir/--log stderr plus `extra`; waits (at most
    // 30 s) until the socket answers. REQUIREs success.
    daemon_process(const std::filesystem::path& dir, std::vector<std::string> extra)
        : socket_(dir / "control.sock"), log_(dir / "ballotboxd.log") {
        std::vector<std::string> args = {daemon_binary(), "--state-dir=" + (dir / "state").string(),
                                         "--socket=" + socket_.string(),
                                         "--commission-key=" + training_commission_key(),
                                         "--log=stderr"};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd >= 0) {
                ::dup2(fd, 2);
                ::dup2(fd, 1);
            }
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        for (int i = 0; i < 3000; ++i) {
            if (line_client::connect(socket_))
                return;
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                FAIL("ballotboxd exited at start: " << read_text(log_));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        FAIL("ballotboxd did not answer on its socket: " << read_text(log_));
    }
    ~daemon_process() { stop(); }
    daemon_process(const daemon_process&) = delete;
    daemon_process& operator=(const daemon_process&) = delete;

    // SIGTERM and wait; the exit status (or -1 when killed after 20 s).
    int stop() {
        if (pid_ <= 0)
            return exit_;
        ::kill(pid_, SIGTERM);
        int status = 0;
        for (int i = 0; i < 2000; ++i) {
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                return exit_;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return exit_ = -1;
    }
    bool running() {
        if (pid_ <= 0)
            return false;
        int status = 0;
        return ::waitpid(pid_, &status, WNOHANG) == 0;
    }
    line_client client() {
        auto c = line_client::connect(socket_);
        REQUIRE_MESSAGE(c.has_value(), "cannot connect: " << log());
        return std::move(*c);
    }
    const std::filesystem::path& socket() const { return socket_; }
    std::string log() const { return read_text(log_); }

  private:
    std::filesystem::path socket_;
    std::filesystem::path log_;
    pid_t pid_ = -1;
    int exit_ = -1;
};

// Runs a command line with /bin/sh; its exit status.
inline int run_shell(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace ballotbox::test_daemon
