// Ed25519 keys, signatures and their storage (PEM: PKCS#8 for private keys, SPKI for public).
//
// ed25519_private_key owns an EVP_PKEY; the raw seed is held only inside OpenSSL, which
// wipes it when the key is freed. Saved private-key files are created with mode 0600 and
// written atomically (temporary file, fsync, rename); a failed save leaves no partial file.
// Keys are immutable after creation and may be used from several threads at once (each
// call makes its own EVP_MD_CTX).
#pragma once

#include <array>
#include <filesystem>
#include <string>

#include "common/bytes.h"
#include "common/random.h"
#include "crypto/openssl_handles.h"

namespace ballotbox::crypto {

using ed25519_signature = std::array<std::uint8_t, 64>;
using ed25519_raw_public_key = std::array<std::uint8_t, 32>;

class ed25519_public_key {
  public:
    static result<ed25519_public_key> from_raw(byte_view raw);
    static result<ed25519_public_key> from_pem(std::string_view pem);
    static result<ed25519_public_key> load(const std::filesystem::path& path);

    const ed25519_raw_public_key& raw() const { return raw_; }
    std::string to_pem() const;
    bool verify(byte_view message, byte_view signature) const;

    friend bool operator==(const ed25519_public_key& a, const ed25519_public_key& b) {
        return a.raw_ == b.raw_;
    }

  private:
    ed25519_public_key(evp_pkey_ptr key, const ed25519_raw_public_key& raw);
    std::shared_ptr<EVP_PKEY> key_;
    ed25519_raw_public_key raw_{};
};

class ed25519_private_key {
  public:
    // A new key from 32 bytes of the given random source.
    static ed25519_private_key generate(random_source& random);
    static result<ed25519_private_key> from_seed(byte_view seed32);
    static result<ed25519_private_key> from_pem(std::string_view pem);
    static result<ed25519_private_key> load(const std::filesystem::path& path);

    // Writes PKCS#8 PEM with mode 0600, atomically.
    status save(const std::filesystem::path& path) const;
    std::string to_pem() const;

    const ed25519_public_key& public_key() const { return public_key_; }
    ed25519_signature sign(byte_view message) const;

  private:
    ed25519_private_key(evp_pkey_ptr key, ed25519_public_key pub);
    std::shared_ptr<EVP_PKEY> key_;
    ed25519_public_key public_key_;
};

}  // namespace ballotbox::crypto
