// HMAC-SHA256 over OpenSSL 3 (EVP_MAC).
//
// hmac_sha256 is the one-shot form. hmac_sha256_key is a key prepared for many messages:
// HMAC and SHA-256 are fetched from OpenSSL's provider store, and the key absorbed, once at
// construction; each mac() only resets the prepared context to the keyed state. That takes
// none of the provider store's locks (which threads hashing at once contend for), and costs
// about a quarter of the one-shot form (bench/README.md, ninth session).
//
// An hmac_sha256_key is used by one thread at a time (mac() changes its context). Copying
// one only reads it, so several threads may each take a copy of one shared key at once;
// copies are independent.
//
// Keys are never copied outside OpenSSL's contexts, and OpenSSL wipes those when they are
// freed. OpenSSL failing to set up HMAC (an unusable installation, or no memory) aborts: no
// caller could go on.
#pragma once

#include "common/bytes.h"
#include "crypto/openssl_handles.h"
#include "crypto/sha256.h"

namespace ballotbox::crypto {

digest hmac_sha256(byte_view key, byte_view data);

// Constant-time check of a received tag against the HMAC of data.
bool hmac_sha256_verify(byte_view key, byte_view data, byte_view tag);

class hmac_sha256_key {
  public:
    explicit hmac_sha256_key(byte_view key);
    hmac_sha256_key(const hmac_sha256_key& other);
    hmac_sha256_key& operator=(const hmac_sha256_key& other);
    hmac_sha256_key(hmac_sha256_key&&) noexcept = default;
    hmac_sha256_key& operator=(hmac_sha256_key&&) noexcept = default;
    ~hmac_sha256_key() = default;

    digest mac(byte_view data);
    // Constant-time, as hmac_sha256_verify.
    bool verify(byte_view data, byte_view tag);

  private:
    evp_mac_ctx_ptr ctx_;
};

}  // namespace ballotbox::crypto
