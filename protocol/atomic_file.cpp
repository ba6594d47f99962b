#include "protocol/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ballotbox::protocol {
namespace {

class fd_guard {
  public:
    explicit fd_guard(int fd) : fd_(fd) {}
    ~fd_guard() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    fd_guard(const fd_guard&) = delete;
    fd_guard& operator=(const fd_guard&) = delete;
    int get() const { return fd_; }
    int release() {
        int f = fd_;
        fd_ = -1;
        return f;
    }

  private:
    int fd_;
};

error failed(const std::filesystem::path& path, const std::string& what, int err) {
    return make_error("protocol.write_failed", "Cannot write " + path.string() + ": " + what +
                                                   " failed (" + std::strerror(err) + ").");
}

}  // namespace

status write_file_atomically(const std::filesystem::path& path, std::string_view content,
                             unsigned mode) {
    auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::string tmpl = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    int raw = ::mkstemp(tmpl.data());
    if (raw < 0)
        return failed(path, "creating a temporary file", errno);
    fd_guard fd(raw);
    auto fail = [&](const std::string& what) {
        int e = errno;
        ::unlink(tmpl.c_str());
        return failed(path, what, e);
    };
    if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0)
        return fail("fchmod");
    std::size_t off = 0;
    while (off < content.size()) {
        auto n = ::write(fd.get(), content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail("write");
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0)
        return fail("fsync");
    if (::close(fd.release()) != 0)
        return fail("close");
    if (::rename(tmpl.c_str(), path.c_str()) != 0)
        return fail("rename");
    fd_guard dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() < 0 || ::fsync(dfd.get()) != 0)
        return failed(path, "fsync of the folder", errno);
    return ok_status();
}

result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("protocol.cannot_read", "Cannot read " + path.string() + ".");
    std::string out;
    char buf[8192];
    while (in) {
        in.read(buf, sizeof buf);
        out.append(buf, static_cast<std::size_t>(in.gcount()));
        if (out.size() > max_bytes)
            return make_error("protocol.too_large", path.string() + " is larger than " +
                                                        std::to_string(max_bytes) + " bytes.");
    }
    return out;
}

}  // namespace ballotbox::protocol
