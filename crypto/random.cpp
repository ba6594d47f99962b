#include "crypto/random.h"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ballotbox::crypto {

void system_random::fill(std::span<std::uint8_t> out) {
    if (out.empty())
        return;
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
        std::fputs("ballotbox: the system random generator failed; stopping\n", stderr);
        std::abort();
    }
}

seeded_random::seeded_random(std::uint64_t seed) {
    std::uint8_t s[8];
    for (int i = 0; i < 8; ++i)
        s[i] = static_cast<std::uint8_t>(seed >> (8 * i));
    seed_ = sha256(byte_view(s, sizeof s));
}

void seeded_random::fill(std::span<std::uint8_t> out) {
    for (auto& b : out) {
        if (used_ == block_.size()) {
            sha256_hasher h;
            h.update(seed_);
            std::uint8_t c[8];
            for (int i = 0; i < 8; ++i)
                c[i] = static_cast<std::uint8_t>(counter_ >> (8 * i));
            h.update(byte_view(c, sizeof c));
            block_ = h.finish();
            ++counter_;
            used_ = 0;
        }
        b = block_[used_++];
    }
}

std::uint64_t seeded_random::next_u64() {
    std::uint8_t b[8];
    fill(b);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= std::uint64_t{b[i]} << (8 * i);
    return v;
}

std::uint64_t seeded_random::uniform(std::uint64_t bound) {
    if (bound == 0)
        std::abort();
    std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    for (;;) {
        std::uint64_t v = next_u64();
        if (v < limit)
            return v % bound;
    }
}

random_source& system_random_source() {
    static system_random source;
    return source;
}

}  // namespace ballotbox::crypto
