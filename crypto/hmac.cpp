#include "crypto/hmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>

namespace ballotbox::crypto {
namespace {

// HMAC from the default library context, fetched once for the process (EVP_MAC objects are
// reference counted and safe to share between threads).
EVP_MAC* hmac_algorithm() {
    static const evp_mac_ptr fetched(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!fetched)
        std::abort();
    return fetched.get();
}

evp_mac_ctx_ptr duplicate(const evp_mac_ctx_ptr& ctx) {
    evp_mac_ctx_ptr copy(EVP_MAC_CTX_dup(ctx.get()));
    if (!copy)
        std::abort();
    return copy;
}

}  // namespace

hmac_sha256_key::hmac_sha256_key(byte_view key) : ctx_(EVP_MAC_CTX_new(hmac_algorithm())) {
    static char sha256_name[] = "SHA256";
    if (!ctx_)
        std::abort();
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, sha256_name, 0),
                           OSSL_PARAM_construct_end()};
    // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
    static const unsigned char empty = 0;
    if (EVP_MAC_init(ctx_.get(), key.empty() ? &empty : key.data(), key.size(), params) != 1)
        std::abort();
}

hmac_sha256_key::hmac_sha256_key(const hmac_sha256_key& other) : ctx_(duplicate(other.ctx_)) {}

hmac_sha256_key& hmac_sha256_key::operator=(const hmac_sha256_key& other) {
    if (this != &other)
        ctx_ = duplicate(other.ctx_);
    return *this;
}

digest hmac_sha256_key::mac(byte_view data) {
    // A null key re-initialises HMAC with the key it already holds (EVP_MAC_init(3)).
    digest out;
    std::size_t len = 0;
    if (EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(ctx_.get(), data.data(), data.size()) != 1 ||
        EVP_MAC_final(ctx_.get(), out.data(), &len, out.size()) != 1 || len != out.size())
        std::abort();
    return out;
}

bool hmac_sha256_key::verify(byte_view data, byte_view tag) {
    return equal_constant_time(mac(data), tag);
}

digest hmac_sha256(byte_view key, byte_view data) {
    return hmac_sha256_key(key).mac(data);
}

bool hmac_sha256_verify(byte_view key, byte_view data, byte_view tag) {
    return hmac_sha256_key(key).verify(data, tag);
}

}  // namespace ballotbox::crypto
