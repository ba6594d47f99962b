// SHA-256 over OpenSSL 3: one-shot and incremental.
//
// sha256_hasher owns an EVP_MD_CTX; it is movable, not copyable, and not thread-safe.
// finish() may be called once; the hasher can then be reset() and reused.
#pragma once

#include <array>
#include <cstdint>

#include "common/bytes.h"
#include "crypto/openssl_handles.h"

namespace ballotbox::crypto {

using digest = std::array<std::uint8_t, 32>;

digest sha256(byte_view data);

class sha256_hasher {
  public:
    sha256_hasher();
    sha256_hasher& update(byte_view data);
    sha256_hasher& update(std::uint8_t byte) { return update(byte_view(&byte, 1)); }
    digest finish();
    void reset();

  private:
    evp_md_ctx_ptr ctx_;
};

}  // namespace ballotbox::crypto
