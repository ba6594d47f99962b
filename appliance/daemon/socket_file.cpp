#include "appliance/daemon/socket_file.h"

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <vector>

namespace ballotbox::daemon {

namespace {

error sys_error(const std::string& code, const std::string& what) {
    return make_error("control." + code, what + ": " + std::strerror(errno));
}

struct fd_guard {
    int fd = -1;
    ~fd_guard() {
        if (fd >= 0)
            ::close(fd);
    }
    int release() {
        int out = fd;
        fd = -1;
        return out;
    }
};

result<sockaddr_un> address_of(const std::filesystem::path& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string text = path.string();
    if (text.empty() || text.size() >= sizeof(addr.sun_path))
        return make_error("control.socket_path_too_long",
                          "the socket path \"" + text + "\" is empty or longer than " +
                              std::to_string(sizeof(addr.sun_path) - 1) + " bytes");
    std::memcpy(addr.sun_path, text.c_str(), text.size() + 1);
    return addr;
}

// True when some process accepts connections on the socket at addr.
bool socket_alive(const sockaddr_un& addr) {
    fd_guard probe{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (probe.fd < 0)
        return false;
    return ::connect(probe.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
}

}  // namespace

result<int> bind_control_socket(const std::filesystem::path& path, std::optional<gid_t> group) {
    BALLOTBOX_ASSIGN_OR_RETURN(const sockaddr_un addr, address_of(path));
    struct stat st {};
    if (::lstat(addr.sun_path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return make_error("control.socket_path_taken",
                              "\"" + path.string() +
                                  "\" exists and is not a socket; it is left alone: choose "
                                  "another --socket path or remove it");
        if (socket_alive(addr))
            return make_error("control.socket_in_use", "another process is serving \"" +
                                                           path.string() +
                                                           "\": is ballotboxd already running?");
        if (::unlink(addr.sun_path) != 0)
            return sys_error("socket_unlink_failed",
                             "cannot remove the stale socket \"" + path.string() + "\"");
    }
    fd_guard fd{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)};
    if (fd.fd < 0)
        return sys_error("socket_failed", "cannot create the control socket");
    if (::bind(fd.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0)
        return sys_error("bind_failed", "cannot bind the control socket \"" + path.string() + "\"");
    auto undo = [&](error e) -> result<int> {
        ::unlink(addr.sun_path);
        return e;
    };
    if (group && ::chown(addr.sun_path, static_cast<uid_t>(-1), *group) != 0)
        return undo(sys_error("socket_group_failed",
                              "cannot give the control socket the group " + std::to_string(*group) +
                                  " (is the daemon's user a member of it?)"));
    if (::chmod(addr.sun_path, 0660) != 0)
        return undo(sys_error("socket_mode_failed", "cannot set the control socket's mode"));
    if (::listen(fd.fd, 16) != 0)
        return undo(sys_error("listen_failed", "cannot listen on the control socket"));
    return fd.release();
}

result<gid_t> find_group(const std::string& name) {
    if (name.empty())
        return make_error("control.bad_group", "the socket group is empty");
    unsigned long numeric = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), numeric);
    if (ec == std::errc() && end == name.data() + name.size())
        return static_cast<gid_t>(numeric);
    std::vector<char> buffer(16384);
    group entry{};
    group* found = nullptr;
    const int rc = ::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc != 0 || found == nullptr)
        return make_error("control.bad_group", "there is no group \"" + name +
                                                   "\" on this machine (see "
                                                   "systemd/ballotbox.sysusers.conf)");
    return found->gr_gid;
}

}  // namespace ballotbox::daemon
