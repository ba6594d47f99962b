// The low-level SHA-256 functions are deprecated in OpenSSL 3 (see sha256.h for why they are
// used); this is the one file that calls them.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "crypto/sha256.h"

#include <openssl/crypto.h>

namespace ballotbox::crypto {

digest sha256(byte_view data) {
    sha256_hasher h;
    return h.update(data).finish();
}

sha256_hasher::sha256_hasher() {
    reset();
}

sha256_hasher::~sha256_hasher() {
    OPENSSL_cleanse(&state_, sizeof state_);
}

sha256_hasher::sha256_hasher(sha256_hasher&& other) noexcept : state_(other.state_) {
    other.reset();
}

sha256_hasher& sha256_hasher::operator=(sha256_hasher&& other) noexcept {
    if (this != &other) {
        state_ = other.state_;
        other.reset();
    }
    return *this;
}

// SHA256_Init, _Update and _Final cannot fail on a valid context and pointers (they return 1).
sha256_hasher& sha256_hasher::update(byte_view data) {
    SHA256_Update(&state_, data.data(), data.size());
    return *this;
}

digest sha256_hasher::finish() {
    digest out;
    SHA256_Final(out.data(), &state_);
    return out;
}

void sha256_hasher::reset() {
    SHA256_Init(&state_);
}

}  // namespace ballotbox::crypto
