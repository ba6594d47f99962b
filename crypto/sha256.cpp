#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace ballotbox::crypto {
namespace {
// SHA-256 cannot fail on valid arguments; a failure means OpenSSL itself is broken (no
// provider loaded), and there is no safe way to carry on.
void require(int ok) {
    if (ok != 1) std::abort();
}
}  // namespace

digest sha256(byte_view data) {
    digest out;
    unsigned int len = 0;
    require(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr));
    return out;
}

sha256_hasher::sha256_hasher() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_) std::abort();
    reset();
}

sha256_hasher& sha256_hasher::update(byte_view data) {
    require(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()));
    return *this;
}

digest sha256_hasher::finish() {
    digest out;
    unsigned int len = 0;
    require(EVP_DigestFinal_ex(ctx_.get(), out.data(), &len));
    return out;
}

void sha256_hasher::reset() { require(EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr)); }

}  // namespace ballotbox::crypto
