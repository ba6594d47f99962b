// Password hashing for the chair's sealed opening secret: scrypt (RFC 7914) over OpenSSL 3.
//
// The election package carries only the salt, the cost parameters and the derived hash;
// the secret itself reaches the polling station in a sealed envelope. Parameters are
// bounded so a hostile package cannot make the appliance allocate gigabytes or spin for
// hours: N a power of two from 2^10 to 2^20, r 1..32, p 1..16, N*r*128 at most 256 MiB.
// Pure and thread-safe; the derived key is returned in wiped storage.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/secret_bytes.h"

namespace ballotbox::crypto {

struct scrypt_params {
    std::uint64_t n = 1 << 15;
    std::uint32_t r = 8;
    std::uint32_t p = 1;
};

status check_scrypt_params(const scrypt_params& params);

result<secret_bytes> scrypt(std::string_view password, byte_view salt, const scrypt_params& params,
                            std::size_t length);

}  // namespace ballotbox::crypto
