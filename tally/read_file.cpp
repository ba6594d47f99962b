#include "tally/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ballotbox::tally {

result<std::string> read_bounded_file(const std::filesystem::path& path, std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return make_error("tally.file_missing", path.string() + " does not exist.");
        return make_error("tally.file_unreadable", path.string() + ": " + std::strerror(errno));
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } close_on_exit{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return make_error("tally.file_unreadable", path.string() + " is not a regular file.");
    if (static_cast<std::size_t>(st.st_size) > max_bytes)
        return make_error("tally.file_too_large", path.string() + " is larger than " +
                                                      std::to_string(max_bytes) + " bytes.");
    std::string out;
    out.resize(max_bytes + 1 < static_cast<std::size_t>(st.st_size) + 1
                   ? max_bytes + 1
                   : static_cast<std::size_t>(st.st_size) + 1);
    std::size_t got = 0;
    while (got < out.size()) {
        const auto n = ::read(fd, out.data() + got, out.size() - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return make_error("tally.file_unreadable", path.string() + ": " + std::strerror(errno));
        }
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    if (got > max_bytes)
        return make_error("tally.file_too_large", path.string() + " is larger than " +
                                                      std::to_string(max_bytes) + " bytes.");
    out.resize(got);
    return out;
}

}  // namespace ballotbox::tally
