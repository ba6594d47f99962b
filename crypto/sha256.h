// SHA-256 over OpenSSL 3: one-shot and incremental.
//
// Both use OpenSSL's SHA-256 block functions directly (SHA256_Init/Update/Final), not EVP.
// Those are marked deprecated since OpenSSL 3.0 but are still part of it (3.x and 4.0); they
// are used here on purpose: a ledger is hashed as many short messages (RFC 6962 leaves of 33
// bytes, nodes of 65), and EVP's per-message work (provider dispatch, a context freed and
// allocated at every init) cost a sixth of verify()'s time (bench/README.md). Should a future
// OpenSSL drop them, this file stops compiling rather than changing behaviour.
//
// sha256_hasher holds its state inline; it is movable, not copyable, and not thread-safe.
// finish() may be called once; the hasher can then be reset() and reused. The state (which
// may have absorbed a secret, e.g. a key commitment) is wiped when the hasher is destroyed.
#pragma once

#include <openssl/sha.h>

#include <array>
#include <cstdint>

#include "common/bytes.h"

namespace ballotbox::crypto {

using digest = std::array<std::uint8_t, 32>;

digest sha256(byte_view data);

class sha256_hasher {
  public:
    sha256_hasher();
    ~sha256_hasher();
    sha256_hasher(sha256_hasher&& other) noexcept;
    sha256_hasher& operator=(sha256_hasher&& other) noexcept;
    sha256_hasher(const sha256_hasher&) = delete;
    sha256_hasher& operator=(const sha256_hasher&) = delete;

    sha256_hasher& update(byte_view data);
    sha256_hasher& update(std::uint8_t byte) { return update(byte_view(&byte, 1)); }
    digest finish();
    void reset();

  private:
    SHA256_CTX state_;
};

}  // namespace ballotbox::crypto
