#include "tests/support/daemon_fixture.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/canonical_json.h"

extern char** environ;

namespace ballotbox::test_support {

namespace {

using steady = std::chrono::steady_clock;

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void append_line(const std::filesystem::path& path, const std::string& line) {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << line << '\n';
}

}  // namespace

std::filesystem::path ballotboxd_binary() {
    return std::filesystem::path(BALLOTBOX_BINARY_DIR) / "appliance" / "daemon" / "ballotboxd";
}

std::filesystem::path cardsim_binary() {
    return std::filesystem::path(BALLOTBOX_BINARY_DIR) / "tools" / "cardsim" / "cardsim";
}

std::string error_code_of(const boost::json::object& response) {
    if (const auto* e = response.if_contains("error"); e && e->is_object())
        if (const auto* c = e->as_object().if_contains("code"); c && c->is_string())
            return std::string(c->as_string());
    return is_ok_response(response) ? "(ok)" : "(no error code)";
}

bool is_ok_response(const boost::json::object& response) {
    const auto* ok = response.if_contains("ok");
    return ok && ok->is_bool() && ok->as_bool();
}

// ---- daemon_connection ----

result<daemon_connection> daemon_connection::connect(const std::filesystem::path& socket) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socket.native().size() >= sizeof(addr.sun_path))
        return make_error("test_support.daemon_socket", "socket path too long: " + socket.string());
    std::strncpy(addr.sun_path, socket.c_str(), sizeof(addr.sun_path) - 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return make_error("test_support.daemon_socket", std::strerror(errno));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        const int e = errno;
        ::close(fd);
        return make_error("test_support.daemon_unreachable",
                          "cannot connect to " + socket.string() + ": " + std::strerror(e));
    }
    return daemon_connection(fd);
}

daemon_connection::daemon_connection(daemon_connection&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)), events_(std::move(other.events_)) {
    other.fd_ = -1;
}

daemon_connection& daemon_connection::operator=(daemon_connection&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
        buffer_ = std::move(other.buffer_);
        events_ = std::move(other.events_);
    }
    return *this;
}

daemon_connection::~daemon_connection() {
    if (fd_ >= 0)
        ::close(fd_);
}

result<boost::json::object> daemon_connection::read_object(steady::time_point deadline) {
    for (;;) {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            auto parsed = parse_json_strict(line);
            if (!parsed.ok() || !parsed->is_object())
                return make_error("test_support.daemon_bad_line",
                                  "the daemon sent a line that is not a JSON object: " + line);
            return parsed->as_object();
        }
        const auto left = std::max<long long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count(),
            0);
        pollfd p{fd_, POLLIN, 0};
        const int n = ::poll(&p, 1, static_cast<int>(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            return make_error("test_support.daemon_timeout", "no line from the daemon in time");
        if (n < 0)
            return make_error("test_support.daemon_gone", std::strerror(errno));
        char chunk[65536];
        const ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
        if (got <= 0)
            return make_error("test_support.daemon_gone", "the daemon closed the connection");
        buffer_.append(chunk, static_cast<std::size_t>(got));
    }
}

result<boost::json::object> daemon_connection::request(const boost::json::object& request) {
    const std::string line = boost::json::serialize(request) + "\n";
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::send(fd_, line.data() + done, line.size() - done, MSG_NOSIGNAL);
        if (n <= 0)
            return make_error("test_support.daemon_gone", "cannot send to the daemon");
        done += static_cast<std::size_t>(n);
    }
    const auto deadline = steady::now() + std::chrono::seconds(30);
    for (;;) {
        auto object = read_object(deadline);
        if (!object.ok())
            return object.err();
        if (object->contains("event"))
            events_.push_back(std::move(*object));
        else
            return object;
    }
}

result<boost::json::object> daemon_connection::next_event(std::chrono::milliseconds limit) {
    if (!events_.empty()) {
        auto e = std::move(events_.front());
        events_.pop_front();
        return e;
    }
    const auto deadline = steady::now() + limit;
    for (;;) {
        auto object = read_object(deadline);
        if (!object.ok())
            return object.err();
        if (object->contains("event"))
            return object;
        // A response with no request waiting (cannot happen in order): skip it.
    }
}

result<boost::json::object> daemon_connection::next_card(std::chrono::milliseconds limit) {
    const auto deadline = steady::now() + limit;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
        auto e = next_event(std::max(left, std::chrono::milliseconds(0)));
        if (!e.ok())
            return e.err();
        if (e->at("event") == "card" && e->at("card").is_object())
            return e->at("card").as_object();
    }
}

// ---- daemon_fixture ----

result<std::unique_ptr<daemon_fixture>> daemon_fixture::start(daemon_config config) {
    std::unique_ptr<daemon_fixture> d(new daemon_fixture(std::move(config)));
    BALLOTBOX_TRY(d->launch());
    return d;
}

daemon_fixture::~daemon_fixture() {
    stop();
}

status daemon_fixture::launch() {
    ++starts_;
    append_line(config_.log, "==== fixture: start " + std::to_string(starts_));
    std::vector<std::string> args = {
        ballotboxd_binary().string(), "--state-dir=" + config_.state_dir.string(),
        "--socket=" + config_.socket.string(),
        "--commission-key=" + config_.commission_key.string(), "--log=stderr"};
    args.insert(args.end(), config_.extra_args.begin(), config_.extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
        env_strings.emplace_back(*e);
    env_strings.insert(env_strings.end(), config_.extra_env.begin(), config_.extra_env.end());
    std::vector<char*> envp;
    for (auto& e : env_strings)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const int log_fd = ::open(config_.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0)
        return make_error("test_support.daemon_log", "cannot open " + config_.log.string());
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) {
        ::close(log_fd);
        return make_error("test_support.daemon_fork", std::strerror(errno));
    }
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
        if (::getppid() != parent)
            ::_exit(126);
        ::dup2(log_fd, 1);
        ::dup2(log_fd, 2);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(log_fd);
    for (int i = 0; i < 3000; ++i) {
        if (daemon_connection::connect(config_.socket).ok())
            return ok_status();
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            pid_ = -1;
            return make_error("test_support.daemon_exited",
                              "ballotboxd exited at start:\n" + log_tail());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill();
    return make_error("test_support.daemon_not_ready",
                      "ballotboxd did not answer on its socket in 30 s:\n" + log_tail());
}

void daemon_fixture::kill() {
    if (pid_ <= 0)
        return;
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
    append_line(config_.log, "==== fixture: killed with SIGKILL");
}

int daemon_fixture::stop() {
    if (pid_ <= 0)
        return -1;
    ::kill(pid_, SIGTERM);
    int st = 0;
    for (int i = 0; i < 2000; ++i) {
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill();
    return -1;
}

status daemon_fixture::restart() {
    if (running())
        stop();
    return launch();
}

status daemon_fixture::restart(std::vector<std::string> extra_args) {
    config_.extra_args = std::move(extra_args);
    return restart();
}

bool daemon_fixture::running() {
    if (pid_ <= 0)
        return false;
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

result<boost::json::object> daemon_fixture::request(const boost::json::object& request) const {
    BALLOTBOX_ASSIGN_OR_RETURN(auto c, connect());
    return c.request(request);
}

result<boost::json::object> daemon_fixture::poll_status() const {
    BALLOTBOX_ASSIGN_OR_RETURN(auto r, request({{"command", "status"}}));
    if (!is_ok_response(r) || !r.contains("status") || !r.at("status").is_object())
        return make_error("test_support.daemon_status", boost::json::serialize(r));
    return r.at("status").as_object();
}

std::string daemon_fixture::log_tail(std::size_t max_bytes) const {
    std::string all = read_all(config_.log);
    if (all.size() > max_bytes)
        all = "..." + all.substr(all.size() - max_bytes);
    return all;
}

}  // namespace ballotbox::test_support
