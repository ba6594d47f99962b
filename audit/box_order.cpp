#include "audit/box_order.h"

#include <array>
#include <bit>
#include <cmath>

namespace ballotbox::audit {
namespace {

unsigned common_prefix_bits(const ledger::box_key& a, const ledger::box_key& b) {
    unsigned bits = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto x = static_cast<std::uint8_t>(a[i] ^ b[i]);
        if (x == 0) {
            bits += 8;
            continue;
        }
        return bits + static_cast<unsigned>(std::countl_zero(x));
    }
    return bits;
}

}  // namespace

box_order_finding check_key_spread(std::span<const ledger::box_key> keys) {
    box_order_finding f;
    const auto n = keys.size();
    if (n < 2) {
        f.what = "too few ballots to test the spread";
        return f;
    }
    // Neighbours in key order share on average about log2(n) bits; P(any pair shares more
    // than log2(n) + 40) < 2^-40 for random keys.
    unsigned longest = 0;
    for (std::size_t i = 1; i < n; ++i)
        longest = std::max(longest, common_prefix_bits(keys[i - 1], keys[i]));
    auto limit = static_cast<unsigned>(std::ceil(std::log2(static_cast<double>(n)))) + 40;
    if (longest > limit) {
        f.spread_ok = false;
        f.what = "neighbouring box keys share " + std::to_string(longest) +
                 " leading bits: keys follow a counter or clock, not a random source";
        f.expected = "at most " + std::to_string(limit) + " shared bits";
        f.found = std::to_string(longest) + " shared bits";
        return f;
    }
    // Spread over 16 ranges of the first 4 bits: chi-square with 15 degrees of freedom;
    // above 80 has probability about 1e-10 for random keys.
    std::string spread = "too few ballots for the range test";
    if (n >= 160) {
        std::array<std::uint64_t, 16> bucket{};
        for (const auto& k : keys)
            ++bucket[k[0] >> 4];
        double expected = static_cast<double>(n) / 16.0, chi = 0;
        for (auto b : bucket)
            chi += (static_cast<double>(b) - expected) * (static_cast<double>(b) - expected) /
                   expected;
        if (chi > 80.0) {
            f.spread_ok = false;
            f.what = "the box keys crowd into few ranges (chi-square " +
                     std::to_string(static_cast<int>(chi)) +
                     " over 16 ranges): not a random source";
            f.expected = "chi-square at most 80";
            f.found = std::to_string(static_cast<int>(chi));
            return f;
        }
        spread = "range chi-square " + std::to_string(static_cast<int>(chi)) + " (limit 80)";
    }
    f.what = "longest shared prefix of neighbouring keys " + std::to_string(longest) +
             " bits (limit " + std::to_string(limit) + "), " + spread;
    return f;
}

}  // namespace ballotbox::audit
