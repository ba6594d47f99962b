// Random sources: system_random (OpenSSL's RAND_bytes, for production) and seeded_random (a
// deterministic SHA-256 counter-mode stream, for tests and reproducible training runs).
//
// system_random is thread-safe (OpenSSL's DRBG is). seeded_random is not.
#pragma once

#include <cstdint>

#include "common/random.h"
#include "crypto/sha256.h"

namespace ballotbox::crypto {

class system_random final : public random_source {
  public:
    void fill(std::span<std::uint8_t> out) override;
};

class seeded_random final : public random_source {
  public:
    explicit seeded_random(std::uint64_t seed);
    void fill(std::span<std::uint8_t> out) override;
    std::uint64_t next_u64();
    // Uniform in [0, bound), bound > 0, without modulo bias.
    std::uint64_t uniform(std::uint64_t bound);

  private:
    digest seed_{};
    std::uint64_t counter_ = 0;
    digest block_{};
    std::size_t used_ = sizeof(digest);
};

// The process-wide production source.
random_source& system_random_source();

}  // namespace ballotbox::crypto
