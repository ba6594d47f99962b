#include "appliance/state_files.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "crypto/sha256.h"

namespace ballotbox::appliance {

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
