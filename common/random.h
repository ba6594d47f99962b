// random_source: the seam through which ballotbox draws random bytes.
//
// Production uses crypto::system_random (OpenSSL's DRBG, see crypto/random.h). Tests use
// seeded_random, a deterministic stream (SHA-256 in counter mode over the seed) so a test run
// can be repeated exactly; it is never used for real keys or tokens outside tests and
// training.
//
// Thread safety: implementations document their own; seeded_random is not thread-safe.
#pragma once

#include <cstdint>
#include <span>

namespace ballotbox {

class random_source {
  public:
    virtual ~random_source() = default;
    // Fills out with random bytes. Aborts if no randomness can be had: continuing with
    // predictable tokens or keys would be worse than stopping.
    virtual void fill(std::span<std::uint8_t> out) = 0;
};

}  // namespace ballotbox
