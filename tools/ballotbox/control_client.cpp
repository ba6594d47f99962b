#include "tools/ballotbox/control_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>

#include "common/canonical_json.h"

namespace ballotbox::cli {

result<control_client> control_client::connect(const std::filesystem::path& socket_path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = socket_path.string();
    if (path.empty() || path.size() >= sizeof(addr.sun_path))
        return make_error("cli.unreachable", "the socket path \"" + path + "\" is not usable");
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return make_error("cli.unreachable", std::string("socket: ") + std::strerror(errno));
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
        const int e = errno;
        ::close(fd);
        std::string hint = e == EACCES
                               ? " (you are not in the socket's group?)"
                               : " (is ballotboxd running? see systemctl status ballotboxd)";
        return make_error("cli.unreachable",
                          "cannot reach the appliance at " + path + ": " + std::strerror(e) + hint);
    }
    return control_client(fd);
}

control_client::control_client(control_client&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)) {
    other.fd_ = -1;
}

control_client::~control_client() {
    if (fd_ >= 0)
        ::close(fd_);
}

status control_client::send(const boost::json::object& request) {
    std::string line = boost::json::serialize(request);
    line.push_back('\n');
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::send(fd_, line.data() + done, line.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return make_error("cli.connection_lost", std::string("the appliance closed the "
                                                                 "connection: ") +
                                                         std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    return ok_status();
}

bool control_client::has_buffered_line() const {
    return buffer_.find('\n') != std::string::npos;
}

result<boost::json::object> control_client::read_object() {
    std::size_t newline;
    while ((newline = buffer_.find('\n')) == std::string::npos) {
        if (buffer_.size() > max_response_bytes)
            return make_error("cli.bad_response", "the appliance sent an over-long line");
        char chunk[65536];
        const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return make_error("cli.connection_lost", "the appliance closed the connection");
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    const std::string line = buffer_.substr(0, newline);
    buffer_.erase(0, newline + 1);
    auto parsed = parse_json_strict(line, max_response_bytes);
    if (!parsed.ok() || !parsed->is_object())
        return make_error("cli.bad_response",
                          "the appliance sent a line that is not a JSON "
                          "object");
    return std::move(parsed->get_object());
}

result<boost::json::object> control_client::request(const boost::json::object& request) {
    BALLOTBOX_TRY(send(request));
    for (;;) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto object, read_object());
        if (!object.contains("event"))
            return object;
    }
}

}  // namespace ballotbox::cli
