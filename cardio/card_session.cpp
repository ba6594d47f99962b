#include "cardio/card_session.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "cardio/card_io_child.h"

namespace ballotbox::cardio {
namespace {

error process_error(const std::string& what) {
    return make_error("card.io_process_failed", "cannot start the card I/O process (" + what +
                                                    ": " + std::strerror(errno) +
                                                    "): call the technician");
}

error process_died() {
    return make_error("card.io_process_died",
                      "the card I/O process ended unexpectedly: take the card out and insert it "
                      "again; call the technician if this happens again");
}

// Card I/O processes that served a session to its clean end and wait, idle, for the next:
// reusing one saves a fork and a process exit per card. At most max_idle are kept; each is
// reused only with the PC/SC options it was started with. An idle process that died is found
// out at its next open request and replaced.
struct idle_process {
    pid_t pid = 0;
    int socket = -1;
    pcsc_card_options options;
};
constexpr std::size_t max_idle = 4;
std::mutex idle_mutex;
std::vector<idle_process> idle_processes;

std::optional<idle_process> take_idle(const pcsc_card_options& options) {
    std::lock_guard lock(idle_mutex);
    for (auto it = idle_processes.begin(); it != idle_processes.end(); ++it)
        if (it->options == options) {
            auto p = *it;
            idle_processes.erase(it);
            return p;
        }
    return std::nullopt;
}

bool give_back(const idle_process& p) {
    std::lock_guard lock(idle_mutex);
    if (idle_processes.size() >= max_idle)
        return false;
    idle_processes.push_back(p);
    return true;
}

}  // namespace

result<std::unique_ptr<card_session>> card_session::open(const std::string& reader,
                                                         card_session_options options) {
    std::unique_ptr<card_session> session(new card_session(reader, options));
    BALLOTBOX_TRY(session->start());
    return session;
}

status card_session::fork_process() {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
        return process_error("socketpair");
    const pid_t pid = ::fork();
    if (pid < 0) {
        auto e = process_error("fork");
        ::close(pair[0]);
        ::close(pair[1]);
        return e;
    }
    if (pid == 0) {
        ::close(pair[0]);
        run_card_io_child(pair[1], options_.pcsc);
    }
    ::close(pair[1]);
    socket_ = pair[0];
    std::lock_guard lock(child_mutex_);
    child_ = pid;
    return ok_status();
}

void card_session::drop_process() {
    kill_child();
    reap();
    if (socket_ >= 0)
        ::close(socket_);
    socket_ = -1;
}

status card_session::start() {
    if (reader_.empty() || reader_.size() > card_io_wire::max_reader_name)
        return make_error("card.bad_reader_name",
                          "a reader name of " + std::to_string(reader_.size()) +
                              " bytes cannot be a PC/SC reader (program error)");
    const auto request = card_io_wire::encode(card_io_wire::open_request{reader_});
    result<card_io_wire::reply> reply = process_died();
    if (auto idle = take_idle(options_.pcsc)) {
        socket_ = idle->socket;
        {
            std::lock_guard lock(child_mutex_);
            child_ = idle->pid;
        }
        reply = exchange(request);
        if (!reply.ok() && reply.err().code == "card.io_process_died") {
            drop_process();  // it died while idle: start a fresh one below
            spent_ = false;
        }
    }
    if (socket_ < 0) {
        BALLOTBOX_TRY(fork_process());
        reply = exchange(request);
    }
    if (!reply.ok()) {
        closed_ = true;
        return reply.err();
    }
    if (auto* o = std::get_if<card_io_wire::opened>(&*reply)) {
        t0_ = o->t0;
        return ok_status();
    }
    closed_ = true;
    if (auto* f = std::get_if<card_io_wire::failed>(&*reply)) {
        // The card could not be opened; the process itself is well and waits again.
        keep_or_end_process();
        return f->problem;
    }
    drop_process();
    return make_error("card.io_process_garbled",
                      "the card I/O process answered out of turn (program error): take the "
                      "card out and insert it again");
}

card_session::~card_session() {
    (void)close();
    kill_child();
    reap();
    if (socket_ >= 0)
        ::close(socket_);
}

pid_t card_session::child() const {
    std::lock_guard lock(child_mutex_);
    return child_;
}

error card_session::timeout_error() const {
    return make_error("card.timeout", "the card did not answer within " +
                                          std::to_string(options_.answer_limit.count()) +
                                          " ms: take it out and insert it again; if it "
                                          "happens again, put this card aside");
}

void card_session::kill_child() {
    std::lock_guard lock(child_mutex_);
    if (child_ > 0)
        ::kill(child_, SIGKILL);  // a zombie's pid is not reused before reap(): never a stranger
}

void card_session::reap() {
    std::lock_guard lock(child_mutex_);
    if (child_ <= 0)
        return;
    int status = 0;
    while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
    child_ = 0;  // reaped, or not ours to reap (ECHILD when SIGCHLD is ignored)
}

bool card_session::abandon() {
    abandoned_ = true;
    kill_child();
    return true;
}

result<card_io_wire::reply> card_session::exchange(byte_view request) {
    if (!request.empty()) {
        ssize_t sent;
        do {
            sent = ::send(socket_, request.data(), request.size(), MSG_NOSIGNAL);
        } while (sent < 0 && errno == EINTR);
        if (sent < 0) {
            spent_ = true;
            kill_child();
            reap();
            return abandoned_ ? timeout_error() : process_died();
        }
    }
    const auto until = std::chrono::steady_clock::now() + options_.answer_limit;
    std::array<std::uint8_t, card_io_wire::max_message + 1> buffer{};
    for (;;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        pollfd p{socket_, POLLIN, 0};
        const int r = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {  // no answer in time (or poll failed): give the card up
            spent_ = true;
            kill_child();
            reap();
            return timeout_error();
        }
        const auto n = ::recv(socket_, buffer.data(), buffer.size(), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {  // the child ended: killed by abandon(), or died
            spent_ = true;
            kill_child();
            reap();
            return abandoned_ ? timeout_error() : process_died();
        }
        if (static_cast<std::size_t>(n) > card_io_wire::max_message)
            return card_io_wire::parse_reply({});  // card.io_process_garbled
        return card_io_wire::parse_reply(byte_view(buffer.data(), static_cast<std::size_t>(n)));
    }
}

result<bytes> card_session::transmit(byte_view command_apdu) {
    if (closed_)
        return make_error("card.session_closed",
                          "the card session was already closed (program error)");
    if (spent_ || abandoned_) {
        spent_ = true;
        kill_child();
        reap();
        return timeout_error();
    }
    if (command_apdu.size() < 4 || command_apdu.size() > card_io_wire::max_apdu)
        return make_error("card.command_too_long",
                          "a command APDU of " + std::to_string(command_apdu.size()) +
                              " bytes is not a short APDU (program error)");
    auto reply = exchange(card_io_wire::encode(
        card_io_wire::transmit_request{bytes(command_apdu.begin(), command_apdu.end())}));
    BALLOTBOX_TRY(reply);
    if (auto* a = std::get_if<card_io_wire::answer>(&*reply))
        return std::move(a->apdu);
    if (auto* f = std::get_if<card_io_wire::failed>(&*reply))
        return f->problem;
    return make_error("card.io_process_garbled",
                      "the card I/O process answered out of turn (program error): take the "
                      "card out and insert it again");
}

status card_session::close() {
    if (closed_)
        return ok_status();
    closed_ = true;
    if (spent_ || abandoned_) {
        kill_child();
        reap();
        return ok_status();  // nothing left to end: the child holding the card is gone
    }
    auto reply = exchange(card_io_wire::encode(card_io_wire::close_request{}));
    status outcome;
    if (!reply.ok())
        outcome = reply.err();
    else if (auto* f = std::get_if<card_io_wire::failed>(&*reply))
        outcome = f->problem;
    else if (!std::holds_alternative<card_io_wire::closed>(*reply))
        outcome = make_error("card.io_process_garbled",
                             "the card I/O process answered out of turn (program error)");
    if (outcome.ok())
        keep_or_end_process();
    else
        drop_process();
    return outcome;
}

void card_session::keep_or_end_process() {
    if (give_back({child(), socket_, options_.pcsc})) {
        std::lock_guard lock(child_mutex_);
        child_ = 0;  // idle now, for the next session
        socket_ = -1;
        return;
    }
    ::close(socket_);  // the child ends when its socket closes
    socket_ = -1;
    reap();
}

}  // namespace ballotbox::cardio
