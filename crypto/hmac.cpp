#include "crypto/hmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>

#include "crypto/openssl_handles.h"

namespace ballotbox::crypto {

digest hmac_sha256(byte_view key, byte_view data) {
    static char sha256_name[] = "SHA256";
    evp_mac_ptr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac)
        std::abort();
    evp_mac_ctx_ptr ctx(EVP_MAC_CTX_new(mac.get()));
    if (!ctx)
        std::abort();
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, sha256_name, 0),
                           OSSL_PARAM_construct_end()};
    // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
    static const unsigned char empty = 0;
    if (EVP_MAC_init(ctx.get(), key.empty() ? &empty : key.data(), key.size(), params) != 1 ||
        EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1)
        std::abort();
    digest out;
    std::size_t len = 0;
    if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size())
        std::abort();
    return out;
}

bool hmac_sha256_verify(byte_view key, byte_view data, byte_view tag) {
    auto expected = hmac_sha256(key, data);
    return equal_constant_time(expected, tag);
}

}  // namespace ballotbox::crypto
