// Compact ranges (ledger/merkle_range.h): pieces of one tree hashed apart and joined give the
// same root as merkle_root over all the leaves, for every size and every place of the cut;
// a snapshot taken inside a later piece gives the root of that prefix.
#include "ledger/merkle_range.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "ledger/merkle.h"

using namespace ballotbox;
using namespace ballotbox::ledger;

namespace {

std::vector<digest> leaves(std::size_t n) {
    std::vector<digest> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(merkle_leaf_hash(as_bytes("leaf " + std::to_string(i))));
    return out;
}

merkle_range range_of(const std::vector<digest>& all, std::size_t begin, std::size_t end) {
    merkle_range r(begin);
    for (std::size_t i = begin; i < end; ++i)
        r.append_leaf_hash(all[i]);
    return r;
}

digest prefix_root(const std::vector<digest>& all, std::size_t n) {
    return merkle_root(std::span<const digest>(all.data(), n));
}

}  // namespace

TEST_CASE("a range from 0 has the root of merkle_root, at every size up to 300") {
    auto all = leaves(300);
    merkle_range r;
    CHECK(r.root() == merkle_empty_root());
    for (std::size_t n = 1; n <= all.size(); ++n) {
        r.append_leaf_hash(all[n - 1]);
        REQUIRE(r.end() == n);
        CHECK(r.root() == prefix_root(all, n));
    }
}

TEST_CASE("two pieces joined at every cut give the root of the whole, sizes 0 to 140") {
    auto all = leaves(140);
    for (std::size_t n = 0; n <= all.size(); ++n)
        for (std::size_t cut = 0; cut <= n; ++cut) {
            auto joined = range_of(all, 0, cut);
            REQUIRE(joined.append_range(range_of(all, cut, n)));
            CAPTURE(n);
            CAPTURE(cut);
            CHECK(joined.end() == n);
            CHECK(joined.root() == prefix_root(all, n));
        }
}

TEST_CASE("a snapshot inside a later piece gives the root of its prefix") {
    auto all = leaves(97);
    const std::size_t cut = 37;
    auto first = range_of(all, 0, cut);
    merkle_range second(cut);
    for (std::size_t i = cut; i < all.size(); ++i) {
        second.append_leaf_hash(all[i]);
        auto prefix = first;  // a copy: the snapshot is joined, the pieces stay as they are
        REQUIRE(prefix.append_range(second));
        CHECK(prefix.root() == prefix_root(all, i + 1));
    }
}

TEST_CASE("random cuts into up to eight pieces, up to 5000 leaves") {
    auto all = leaves(5000);
    std::mt19937_64 rng(20261206);
    for (int round = 0; round < 60; ++round) {
        std::size_t n = rng() % all.size() + 1;
        std::vector<std::size_t> cuts{0, n};
        for (std::size_t k = rng() % 7; k > 0; --k)
            cuts.push_back(rng() % (n + 1));
        std::sort(cuts.begin(), cuts.end());
        merkle_range joined;
        for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
            REQUIRE(joined.append_range(range_of(all, cuts[i], cuts[i + 1])));
        CAPTURE(n);
        CHECK(joined.root() == prefix_root(all, n));
    }
}

TEST_CASE("a piece that does not start where the range ends is refused, the range unchanged") {
    auto all = leaves(20);
    auto first = range_of(all, 0, 8);
    auto before = first.root();
    CHECK_FALSE(first.append_range(range_of(all, 9, 20)));
    CHECK_FALSE(first.append_range(range_of(all, 7, 20)));
    CHECK(first.end() == 8);
    CHECK(first.root() == before);
}
