#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace ballotbox {
namespace {

// Owns a file descriptor.
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
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

error write_failed(const std::filesystem::path& path, const std::string& step, int err) {
    return make_error("file.write_failed", "Could not write " + path.string() + ": " + step +
                                               " failed (" + std::strerror(err) + ").");
}

}  // namespace

status write_file_atomically(const std::filesystem::path& path, byte_view content, unsigned mode) {
    const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
    fd_guard fd(::mkstemp(temp.data()));
    if (fd.get() < 0)
        return write_failed(path, "creating a temporary file in " + dir.string(), errno);
    auto fail = [&](const std::string& step) {
        const int err = errno;
        ::unlink(temp.c_str());
        return write_failed(path, step, err);
    };
    if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0)
        return fail("setting its mode");
    std::size_t done = 0;
    while (done < content.size()) {
        const auto n = ::write(fd.get(), content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail("writing");
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0)
        return fail("flushing it to disk (fsync)");
    if (::close(fd.release()) != 0)
        return fail("closing it");
    if (::rename(temp.c_str(), path.c_str()) != 0)
        return fail("renaming the temporary file over it");
    if (auto synced = sync_folder(dir); !synced)
        return write_failed(path, "flushing the folder " + dir.string() + " to disk", errno);
    return ok_status();
}

status sync_folder(const std::filesystem::path& dir) {
    fd_guard dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0)
        return write_failed(dir, "flushing the folder to disk", errno);
    return ok_status();
}

status write_file_atomically(const std::filesystem::path& path, std::string_view content,
                             unsigned mode) {
    return write_file_atomically(path, as_bytes(content), mode);
}

}  // namespace ballotbox
