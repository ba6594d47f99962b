// RAII owners for the OpenSSL handles ballotbox uses, and the conversion of OpenSSL's error
// queue into a ballotbox::error.
//
// Each handle is a std::unique_ptr with the matching *_free as deleter: it owns the object
// alone and frees it exactly once. Not thread-safe per handle (OpenSSL's own rule).
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "common/result.h"

namespace ballotbox::crypto {

struct evp_pkey_deleter {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct evp_md_ctx_deleter {
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct evp_mac_deleter {
    void operator()(EVP_MAC* p) const { EVP_MAC_free(p); }
};
struct evp_mac_ctx_deleter {
    void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
};

using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, evp_pkey_deleter>;
using evp_md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, evp_md_ctx_deleter>;
using evp_mac_ptr = std::unique_ptr<EVP_MAC, evp_mac_deleter>;
using evp_mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, evp_mac_ctx_deleter>;

// Drains OpenSSL's thread-local error queue into one error with the given code; the message
// is `what` followed by OpenSSL's own reason text.
error openssl_error(std::string code, const std::string& what);

}  // namespace ballotbox::crypto
