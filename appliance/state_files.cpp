#include "appliance/state_files.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "crypto/sha256.h"

namespace ballotbox::appliance {
namespace {

error write_error(const std::filesystem::path& path, const char* what) {
    return make_error("appliance.write_failed", "Could not write " + path.string() + " (" + what +
                                                    ": " + std::strerror(errno) + ").");
}

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

}  // namespace

status write_file_atomically(const std::filesystem::path& path, byte_view data, unsigned mode) {
    auto tmp = path;
    tmp += ".tmp";
    ::unlink(tmp.c_str());
    fd_guard fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0)
        return write_error(tmp, "create");
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = ::write(fd.get(), data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            auto e = write_error(tmp, "write");
            ::unlink(tmp.c_str());
            return e;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0) {
        auto e = write_error(tmp, "sync");
        ::unlink(tmp.c_str());
        return e;
    }
    if (::close(fd.release()) != 0) {
        auto e = write_error(tmp, "close");
        ::unlink(tmp.c_str());
        return e;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto e = write_error(path, "rename");
        ::unlink(tmp.c_str());
        return e;
    }
    auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    fd_guard dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() < 0 || ::fsync(dfd.get()) != 0)
        return write_error(dir, "sync folder");
    return ok_status();
}

result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_size) {
    fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        return make_error("appliance.read_failed",
                          "Could not open " + path.string() + ": " + std::strerror(errno) + ".");
    std::string out;
    char buf[4096];
    for (;;) {
        auto n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return make_error("appliance.read_failed", "Could not read " + path.string() + ": " +
                                                           std::strerror(errno) + ".");
        if (n == 0)
            break;
        if (out.size() + static_cast<std::size_t>(n) > max_size)
            return make_error("appliance.read_failed",
                              path.string() + " is larger than " + std::to_string(max_size) +
                                  " bytes; it is not a file this appliance wrote.");
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

status ensure_private_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return make_error("appliance.state_dir", "Could not create the state directory " +
                                                     dir.string() + ": " + ec.message() + ".");
    if (!std::filesystem::is_directory(dir, ec))
        return make_error("appliance.state_dir", dir.string() + " is not a directory.");
    if (::chmod(dir.c_str(), 0700) != 0)
        return make_error("appliance.state_dir", "Could not make " + dir.string() +
                                                     " private: " + std::strerror(errno) + ".");
    return ok_status();
}

result<crypto::ed25519_private_key> load_appliance_key(const std::filesystem::path& dir) {
    return crypto::ed25519_private_key::load(dir / appliance_key_file_name);
}

result<crypto::ed25519_private_key> load_or_make_appliance_key(const std::filesystem::path& dir,
                                                               random_source& random) {
    auto path = dir / appliance_key_file_name;
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        return crypto::ed25519_private_key::load(path);
    auto key = crypto::ed25519_private_key::generate(random);
    BALLOTBOX_TRY(key.save(path));
    return key;
}

result<crypto::secret_bytes> make_mac_key(const std::filesystem::path& dir, random_source& random) {
    crypto::secret_bytes key(mac_key_size);
    random.fill(key.span());
    BALLOTBOX_TRY(write_file_atomically(dir / mac_key_file_name, key.view(), 0600));
    return key;
}

result<crypto::secret_bytes> load_mac_key(const std::filesystem::path& dir) {
    auto text = read_small_file(dir / mac_key_file_name, 1024);
    if (!text)
        return text.err();
    if (text->size() != mac_key_size) {
        OPENSSL_cleanse(text->data(), text->size());
        return make_error("appliance.bad_mac_key",
                          "mac.key in the state directory is not 32 bytes: it was damaged.");
    }
    crypto::secret_bytes key(as_bytes(*text));
    OPENSSL_cleanse(text->data(), text->size());
    return key;
}

std::string mac_key_commitment(byte_view key) {
    crypto::sha256_hasher h;
    h.update(as_bytes("ballotbox/mac-key-commitment/v1")).update(std::uint8_t{0}).update(key);
    return to_hex(h.finish());
}

}  // namespace ballotbox::appliance
