// control_client: the `ballotbox` CLI's connection to ballotboxd's control socket
// (docs/control-protocol.md): one request line out, one response line back; event lines
// (after watch) are handed out separately.
//
// Errors: cli.unreachable (no daemon at the path, or no permission: the socket's group
// decides who may command), cli.connection_lost (the daemon closed the connection),
// cli.bad_response (a line that is not a JSON object, or over max_response_bytes).
// Thread safety: one thread; owns its socket (closed by the destructor).
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"

namespace ballotbox::cli {

inline constexpr std::size_t max_response_bytes = 4 * 1024 * 1024;

class control_client {
  public:
    static result<control_client> connect(const std::filesystem::path& socket_path);
    control_client(control_client&& other) noexcept;
    control_client& operator=(control_client&&) = delete;
    control_client(const control_client&) = delete;
    ~control_client();

    status send(const boost::json::object& request);
    // The next line from the daemon (response or event), parsed.
    result<boost::json::object> read_object();
    // send() then read_object() until a response (a line without "event").
    result<boost::json::object> request(const boost::json::object& request);

    int fd() const { return fd_; }
    // True when a complete line is already buffered (poll() on fd() would not see it).
    bool has_buffered_line() const;

  private:
    explicit control_client(int fd) : fd_(fd) {}
    int fd_ = -1;
    std::string buffer_;
};

}  // namespace ballotbox::cli
