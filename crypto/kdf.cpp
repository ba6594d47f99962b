#include "crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>

#include "crypto/openssl_handles.h"

namespace ballotbox::crypto {
namespace {
struct kdf_deleter {
    void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
};
struct kdf_ctx_deleter {
    void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};
}  // namespace

status check_scrypt_params(const scrypt_params& params) {
    bool power_of_two = params.n != 0 && (params.n & (params.n - 1)) == 0;
    if (!power_of_two || params.n < (1u << 10) || params.n > (1u << 20))
        return make_error("crypto.bad_kdf_params",
                          "scrypt N must be a power of two from 1024 to 1048576");
    if (params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16)
        return make_error("crypto.bad_kdf_params", "scrypt r must be 1..32 and p 1..16");
    if (params.n * params.r * 128 > (256u << 20))
        return make_error("crypto.bad_kdf_params", "scrypt parameters need more than 256 MiB");
    return ok_status();
}

result<secret_bytes> scrypt(std::string_view password, byte_view salt, const scrypt_params& params,
                            std::size_t length) {
    BALLOTBOX_TRY(check_scrypt_params(params));
    std::unique_ptr<EVP_KDF, kdf_deleter> kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr));
    if (!kdf)
        return openssl_error("crypto.kdf_unavailable", "scrypt is not available");
    std::unique_ptr<EVP_KDF_CTX, kdf_ctx_deleter> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx)
        return openssl_error("crypto.kdf_failed", "cannot make a scrypt context");
    std::uint64_t n = params.n;
    std::uint32_t r = params.r, p = params.p;
    std::uint64_t maxmem = 512ull << 20;
    OSSL_PARAM ps[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                          const_cast<char*>(password.data()), password.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                          const_cast<std::uint8_t*>(salt.data()), salt.size()),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end()};
    secret_bytes out(length);
    if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), ps) != 1)
        return openssl_error("crypto.kdf_failed", "scrypt failed");
    return out;
}

}  // namespace ballotbox::crypto
