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

TEST_CASE("a follower fed with its leader equals a range hashed alone, at every start and size") {
    auto all = leaves(140);
    for (std::size_t start = 0; start < all.size(); ++start) {
        auto leader = range_of(all, 0, start);
        merkle_range follower(start);
        for (std::size_t i = start; i < all.size(); ++i) {
            leader.append_leaf_hash(all[i], follower);
            CAPTURE(start);
            CAPTURE(i);
            REQUIRE(follower.end() == i + 1);
            auto prefix = range_of(all, 0, start);
            REQUIRE(prefix.append_range(follower));
            CHECK(prefix.root() == prefix_root(all, i + 1));
        }
        CHECK(leader.root() == prefix_root(all, all.size()));
    }
}

TEST_CASE("a follower that does not end where the leader ends hashes for itself") {
    auto all = leaves(40);
    auto leader = range_of(all, 0, 20);
    merkle_range follower(3);  // empty, ends at 3, not at 20
    leader.append_leaf_hash(all[20], follower);
    CHECK(leader.root() == prefix_root(all, 21));
    auto prefix = range_of(all, 0, 3);
    REQUIRE(prefix.append_range(follower));
    std::vector<digest> expected(all.begin(), all.begin() + 3);
    expected.push_back(all[20]);
    CHECK(prefix.root() == merkle_root(expected));
}

TEST_CASE("consistency proofs from two ranges equal merkle_consistency_proof, sizes to 140") {
    auto all = leaves(140);
    for (std::size_t n = 1; n <= all.size(); ++n)
        for (std::size_t m = 1; m <= n; ++m) {
            auto proof = range_of(all, 0, m).consistency_proof(range_of(all, m, n));
            CAPTURE(m);
            CAPTURE(n);
            REQUIRE(proof.has_value());
            auto expected = merkle_consistency_proof(std::span<const digest>(all.data(), n), m);
            CHECK(*proof == expected);
            CHECK(
                merkle_verify_consistency(m, n, prefix_root(all, m), prefix_root(all, n), *proof));
        }
}

TEST_CASE("proofs between checkpoint sizes, from segments fed as verify feeds them") {
    auto all = leaves(5000);
    std::mt19937_64 rng(61);
    for (int round = 0; round < 40; ++round) {
        std::size_t n = rng() % all.size() + 1;
        std::vector<std::size_t> sizes;
        for (std::size_t k = rng() % 9 + 1; k > 0; --k)
            sizes.push_back(rng() % n + 1);
        std::sort(sizes.begin(), sizes.end());
        sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
        // One leader from 0; a follower segment restarted at every size.
        merkle_range leader;
        std::vector<merkle_range> segments{merkle_range(0)};
        std::size_t next = 0;
        for (std::size_t i = 0; i < n; ++i) {
            leader.append_leaf_hash(all[i], segments.back());
            if (next < sizes.size() && sizes[next] == i + 1)
                segments.emplace_back(sizes[next++]);
        }
        CAPTURE(n);
        merkle_range prefix = segments.front();
        for (std::size_t j = 1; j < sizes.size(); ++j) {
            CAPTURE(sizes[j - 1]);
            CAPTURE(sizes[j]);
            REQUIRE(prefix.end() == sizes[j - 1]);
            auto proof = prefix.consistency_proof(segments[j]);
            REQUIRE(proof.has_value());
            CHECK(*proof == merkle_consistency_proof(std::span<const digest>(all.data(), sizes[j]),
                                                     sizes[j - 1]));
            REQUIRE(prefix.append_range(segments[j]));
        }
    }
}

TEST_CASE("a consistency proof needs a range from 0 and an extension that starts at its end") {
    auto all = leaves(30);
    CHECK_FALSE(range_of(all, 1, 10).consistency_proof(range_of(all, 10, 20)).has_value());
    CHECK_FALSE(range_of(all, 0, 10).consistency_proof(range_of(all, 11, 20)).has_value());
    CHECK_FALSE(merkle_range(0).consistency_proof(range_of(all, 0, 20)).has_value());
    auto same = range_of(all, 0, 10).consistency_proof(merkle_range(10));
    REQUIRE(same.has_value());
    CHECK(same->empty());
}
