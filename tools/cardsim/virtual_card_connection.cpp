#include "tools/cardsim/virtual_card_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "tools/cardsim/vpcd.h"

namespace ballotbox::cardsim {
namespace {

enum class io { ok, closed, stopped, error };

// Waits until fd is readable; `stopped` if wake_fd fires first.
io wait_readable(int fd, int wake_fd) {
    for (;;) {
        pollfd p[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
        const int r = ::poll(p, 2, -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return io::error;
        if (p[1].revents)
            return io::stopped;
        if (p[0].revents)
            return io::ok;
    }
}

io read_exact(int fd, int wake_fd, std::uint8_t* out, std::size_t n) {
    std::size_t done = 0;
    while (done < n) {
        if (auto w = wait_readable(fd, wake_fd); w != io::ok)
            return w;
        const auto r = ::recv(fd, out + done, n - done, 0);
        if (r == 0)
            return io::closed;
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            if (errno == ECONNRESET)
                return io::closed;
            return io::error;
        }
        done += static_cast<std::size_t>(r);
        // vpcd writes a frame's length and its body in two sends without TCP_NODELAY, so
        // Nagle holds the body until our ACK of the length, which Linux delays by ~40 ms.
        // Asking for an immediate ACK after every read (the flag does not stick) takes that
        // wait off every APDU.
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }
    return io::ok;
}

io send_all(int fd, const bytes& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto r = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EPIPE || errno == ECONNRESET)
                return io::closed;
            return io::error;
        }
        done += static_cast<std::size_t>(r);
    }
    return io::ok;
}

int connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

}  // namespace

std::string to_string(card_end e) {
    switch (e) {
        case card_end::removed:
            return "removed";
        case card_end::vanished:
            return "vanished";
        case card_end::torn:
            return "torn";
        case card_end::reader_gone:
            return "reader_gone";
        case card_end::failed:
            return "failed";
    }
    return "unknown";
}

virtual_card_connection::virtual_card_connection(file_system_card card, connection_options options,
                                                 fault_plan faults)
    : card_(std::move(card), faults), options_(options) {
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

virtual_card_connection::~virtual_card_connection() {
    remove();
    if (wake_fd_ >= 0)
        ::close(wake_fd_);
}

void virtual_card_connection::insert() {
    std::lock_guard lock(mutex_);
    if (started_)
        return;
    started_ = true;
    thread_ = std::thread([this] { run(); });
}

card_end virtual_card_connection::remove() {
    stop_ = true;
    if (wake_fd_ >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto ignored = ::write(wake_fd_, &one, sizeof one);
    }
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id())
        thread_.join();
    finish(card_end::removed);  // if it never started
    std::lock_guard lock(mutex_);
    return *end_;
}

void virtual_card_connection::finish(card_end why, std::string error) {
    {
        std::lock_guard lock(mutex_);
        if (end_)
            return;
        end_ = why;
        error_ = std::move(error);
    }
    changed_.notify_all();
}

bool virtual_card_connection::wait_interruptible(std::chrono::milliseconds d) {
    if (stop_)
        return true;
    pollfd p{wake_fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(d.count()));
    return stop_ || (r > 0 && p.revents);
}

void virtual_card_connection::run() {
    if (wake_fd_ < 0)
        return finish(card_end::failed, "cannot create an eventfd");
    const std::uint16_t port =
        options_.port != 0 ? options_.port : vpcd::reader_port(options_.reader);
    while (!stop_) {
        const int fd = connect_to(port);
        if (fd < 0) {
            wait_interruptible(options_.retry_interval);
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            connected_ = true;
            ++connections_;
            card_.inserted();
        }
        changed_.notify_all();
        auto end = serve(fd);
        ::close(fd);
        {
            std::lock_guard lock(mutex_);
            connected_ = false;
        }
        changed_.notify_all();
        if (end)
            return finish(*end, *end == card_end::failed ? serve_error_ : "");
    }
    finish(card_end::removed);
}

std::optional<card_end> virtual_card_connection::serve(int fd) {
    const std::optional<card_end> peer_closed =
        options_.reconnect ? std::nullopt : std::optional(card_end::reader_gone);
    auto outcome = [&](io r) -> std::optional<card_end> {
        if (r == io::stopped)
            return card_end::removed;
        if (r == io::closed)
            return peer_closed;
        serve_error_ = std::string("socket error: ") + std::strerror(errno);
        return card_end::failed;
    };
    bytes message;
    for (;;) {
        std::uint8_t header[2];
        if (auto r = read_exact(fd, wake_fd_, header, 2); r != io::ok)
            return outcome(r);
        const std::size_t length = vpcd::message_length(header[0], header[1]);
        if (length == 0) {  // vpcd never sends an empty message
            serve_error_ = "vpcd sent an empty message";
            return card_end::failed;
        }
        message.resize(length);
        if (auto r = read_exact(fd, wake_fd_, message.data(), length); r != io::ok)
            return outcome(r);
        bytes answer;
        if (length == 1) {
            std::lock_guard lock(mutex_);
            if (message[0] == vpcd::ctrl_get_atr) {
                answer = card_.atr();
            } else if (message[0] == vpcd::ctrl_power_off || message[0] == vpcd::ctrl_power_on ||
                       message[0] == vpcd::ctrl_reset) {
                card_.on_reset();
                continue;  // no answer to these
            } else {
                continue;  // an unknown control code: ignored, as vsmartcard's cards do
            }
        } else {
            card_reply reply;
            std::chrono::milliseconds delay;
            {
                std::lock_guard lock(mutex_);
                reply = card_.on_command(message);
                delay = card_.plan().delay;
            }
            if (reply.what == card_reply::kind::vanish)
                return card_end::vanished;
            if (reply.what == card_reply::kind::torn)
                return card_end::torn;
            if (delay.count() > 0 && wait_interruptible(delay))
                return card_end::removed;
            answer = std::move(reply.apdu);
        }
        if (auto r = send_all(fd, *vpcd::frame(answer)); r != io::ok)
            return outcome(r);
    }
}

bool virtual_card_connection::wait_connected(std::chrono::milliseconds limit) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return connected_ || end_.has_value(); }) &&
           connected_;
}

std::optional<card_end> virtual_card_connection::wait_ended(std::chrono::milliseconds limit) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, limit, [&] { return end_.has_value(); });
    return end_;
}

bool virtual_card_connection::connected() const {
    std::lock_guard lock(mutex_);
    return connected_;
}

std::size_t virtual_card_connection::connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
}

std::size_t virtual_card_connection::commands() const {
    std::lock_guard lock(mutex_);
    return card_.commands();
}

card_image virtual_card_connection::image() const {
    std::lock_guard lock(mutex_);
    return card_.card().image();
}

std::string virtual_card_connection::last_error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

}  // namespace ballotbox::cardsim
