#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace ballotbox::crypto {
namespace {
// SHA-256 cannot fail on valid arguments; a failure means OpenSSL itself is broken (no
// provider loaded), and there is no safe way to carry on.
void require(int ok) {
    if (ok != 1)
        std::abort();
}

// OpenSSL 3 resolves EVP_sha256() to a provider implementation on every use; fetching it
// once keeps that lookup (a fifth of the time of hashing a short ledger entry) out of every
// call. The fetched method lives as long as the process.
const EVP_MD* sha256_method() {
    static EVP_MD* method = [] {
        EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (!md)
            std::abort();
        return md;
    }();
    return method;
}
}  // namespace

digest sha256(byte_view data) {
    digest out;
    unsigned int len = 0;
    require(EVP_Digest(data.data(), data.size(), out.data(), &len, sha256_method(), nullptr));
    return out;
}

sha256_hasher::sha256_hasher() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_)
        std::abort();
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

void sha256_hasher::reset() {
    require(EVP_DigestInit_ex(ctx_.get(), sha256_method(), nullptr));
}

}  // namespace ballotbox::crypto
