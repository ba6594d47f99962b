#include "common/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

namespace ballotbox {
namespace {

error too_large(const std::filesystem::path& path, std::size_t max_bytes) {
    return make_error("file.too_large", path.string() + " is larger than " +
                                            std::to_string(max_bytes) +
                                            " bytes: it is not the file expected here.");
}

error unreadable(const std::filesystem::path& path, int err) {
    return make_error("file.unreadable",
                      "Could not read " + path.string() + ": " + std::strerror(err) + ".");
}

}  // namespace

result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT)
            return make_error("file.missing", path.string() + " does not exist.");
        return unreadable(path, errno);
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } close_on_exit{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return unreadable(path, errno);
    if (!S_ISREG(st.st_mode))
        return make_error("file.unreadable", path.string() + " is not a regular file.");
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
        return too_large(path, max_bytes);
    // One byte more than the bound, so a file that grew since fstat is still caught.
    std::string out(static_cast<std::size_t>(st.st_size) + 1, '\0');
    std::size_t got = 0;
    for (;;) {
        if (got == out.size()) {
            if (out.size() > max_bytes)
                return too_large(path, max_bytes);
            out.resize(std::min(out.size() * 2, max_bytes + 1));
        }
        const auto n = ::read(fd, out.data() + got, out.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return unreadable(path, errno);
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    if (got > max_bytes)
        return too_large(path, max_bytes);
    out.resize(got);
    return out;
}

}  // namespace ballotbox
