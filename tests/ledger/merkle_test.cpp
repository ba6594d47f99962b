// RFC 6962 Merkle trees: known answers, two independent root computations, proof round
// trips and rejected malformed proofs.
#include "ledger/merkle.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/bytes.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "ledger/merkle_range.h"

using ballotbox::byte_view;
using ballotbox::bytes;
using ballotbox::from_hex;
using ballotbox::to_hex;
using namespace ballotbox::ledger;

namespace {

digest dh(std::string_view hex) {
    auto b = from_hex(hex);
    REQUIRE(b.ok());
    REQUIRE(b->size() == 32);
    digest d{};
    std::copy(b->begin(), b->end(), d.begin());
    return d;
}

// The Certificate Transparency reference leaf inputs (hex), as listed in
// transparency-dev/merkle testonly/constants.go (LeafInputs), which carries over the
// google/certificate-transparency merkle tree test data.
const char* const ct_leaf_inputs[] = {"",
                                      "00",
                                      "10",
                                      "2021",
                                      "3031",
                                      "40414243",
                                      "5051525354555657",
                                      "606162636465666768696a6b6c6d6e6f"};

// Roots for sizes 1..8 of the tree over those leaves (transparency-dev/merkle
// testonly/constants.go RootHashes, and proof/verify_test.go `roots`).
const char* const ct_roots[] = {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                                "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                                "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                                "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                                "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                                "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

std::vector<digest> ct_leaf_hashes() {
    std::vector<digest> out;
    for (const char* hex : ct_leaf_inputs)
        out.push_back(merkle_leaf_hash(*from_hex(hex)));
    return out;
}

// A reference Merkle Tree Hash written straight from RFC 6962 section 2.1, hashing the
// prefixed byte strings itself (it shares no code with ledger/merkle.cpp beyond SHA-256).
digest reference_leaf(byte_view data) {
    bytes b{0x00};
    b.insert(b.end(), data.begin(), data.end());
    return ballotbox::crypto::sha256(b);
}
digest reference_mth(const std::vector<bytes>& d, std::size_t begin, std::size_t end) {
    std::size_t n = end - begin;
    if (n == 0)
        return ballotbox::crypto::sha256(byte_view{});
    if (n == 1)
        return reference_leaf(d[begin]);
    std::size_t k = 1;
    while (k * 2 < n)
        k *= 2;
    digest l = reference_mth(d, begin, begin + k);
    digest r = reference_mth(d, begin + k, end);
    bytes b{0x01};
    b.insert(b.end(), l.begin(), l.end());
    b.insert(b.end(), r.begin(), r.end());
    return ballotbox::crypto::sha256(b);
}

std::vector<bytes> numbered_leaves(std::size_t n) {
    std::vector<bytes> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(ballotbox::to_bytes("leaf " + std::to_string(i)));
    return out;
}

std::vector<digest> hashes_of(const std::vector<bytes>& data) {
    std::vector<digest> out;
    for (const auto& d : data)
        out.push_back(merkle_leaf_hash(d));
    return out;
}

digest flipped(digest d, std::size_t bit) {
    d[bit / 8 % 32] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    return d;
}

}  // namespace

TEST_CASE("merkle: empty root is SHA-256 of the empty string (RFC 6962 2.1)") {
    CHECK(to_hex(merkle_empty_root()) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(merkle_root({}) == merkle_empty_root());
    CHECK(merkle_range{}.root() == merkle_empty_root());
    CHECK(merkle_range{}.end() == 0);
}

TEST_CASE("merkle: leaf and node hashes use the 0x00 and 0x01 prefixes") {
    // SHA-256 of the single byte 0x00: the CT reference hash of the empty leaf.
    CHECK(to_hex(merkle_leaf_hash({})) ==
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    digest a = merkle_leaf_hash(ballotbox::as_bytes("a"));
    digest b = merkle_leaf_hash(ballotbox::as_bytes("b"));
    bytes cat{0x01};
    cat.insert(cat.end(), a.begin(), a.end());
    cat.insert(cat.end(), b.begin(), b.end());
    CHECK(merkle_node_hash(a, b) == ballotbox::crypto::sha256(cat));
    CHECK(merkle_node_hash(a, b) != merkle_node_hash(b, a));
}

TEST_CASE("merkle: CT reference roots for sizes 1..8") {
    auto leaves = ct_leaf_hashes();
    merkle_range tree;
    for (std::size_t n = 1; n <= 8; ++n) {
        CAPTURE(n);
        tree.append_leaf_hash(merkle_leaf_hash(*from_hex(ct_leaf_inputs[n - 1])));
        CHECK(to_hex(merkle_root(std::span(leaves).first(n))) == ct_roots[n - 1]);
        CHECK(to_hex(tree.root()) == ct_roots[n - 1]);
        CHECK(tree.end() == n);
    }
}

TEST_CASE("merkle: CT reference inclusion and consistency proofs") {
    // transparency-dev/merkle proof/verify_test.go: inclusionProofs (1-based leaf numbers
    // there, 0-based indices here) and consistencyProofs.
    auto leaves = ct_leaf_hashes();
    auto all = std::span<const digest>(leaves);
    struct inclusion_case {
        std::uint64_t index, size;
        std::vector<const char*> proof;
    };
    const inclusion_case inclusion[] = {
        {0, 1, {}},
        {0,
         8,
         {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {5,
         8,
         {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
        {1,
         5,
         {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    };
    for (const auto& c : inclusion) {
        CAPTURE(c.index);
        CAPTURE(c.size);
        std::vector<digest> want;
        for (const char* h : c.proof)
            want.push_back(dh(h));
        auto got = merkle_inclusion_proof(all.first(c.size), c.index);
        CHECK(got == want);
        CHECK(merkle_verify_inclusion(c.index, c.size, leaves[c.index], want,
                                      dh(ct_roots[c.size - 1])));
    }
    struct consistency_case {
        std::uint64_t old_size, new_size;
        std::vector<const char*> proof;
    };
    const consistency_case consistency[] = {
        {1, 1, {}},
        {1,
         8,
         {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {6,
         8,
         {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2,
         5,
         {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
        {6,
         7,
         {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    };
    for (const auto& c : consistency) {
        CAPTURE(c.old_size);
        CAPTURE(c.new_size);
        std::vector<digest> want;
        for (const char* h : c.proof)
            want.push_back(dh(h));
        CHECK(merkle_consistency_proof(all.first(c.new_size), c.old_size) == want);
        CHECK(merkle_verify_consistency(c.old_size, c.new_size, dh(ct_roots[c.old_size - 1]),
                                        dh(ct_roots[c.new_size - 1]), want));
    }
}

TEST_CASE("merkle: RFC 6962 2.1.3 seven-leaf example, proof node identities") {
    // The figure in RFC 6962 section 2.1.3, built by hand with the leaves d0..d6:
    //   hash = node(k, l)
    //   k = node(g, h), l = node(i, j)
    //   g = node(a, b), h = node(c, d), i = node(e, f), j = leaf(d6)
    //   a..f = leaf(d0)..leaf(d5)
    auto leaves = ct_leaf_hashes();
    leaves.resize(7);
    const digest &a = leaves[0], &b = leaves[1], &c = leaves[2], &d = leaves[3], &e = leaves[4],
                 &f = leaves[5], &j = leaves[6];
    digest g = merkle_node_hash(a, b), h = merkle_node_hash(c, d), i = merkle_node_hash(e, f);
    digest k = merkle_node_hash(g, h), l = merkle_node_hash(i, j);
    digest root = merkle_node_hash(k, l);
    REQUIRE(root == merkle_root(leaves));
    REQUIRE(to_hex(root) == ct_roots[6]);

    // Inclusion (RFC 6962 2.1.3): d0 -> [b, h, l]; d3 -> [c, g, l]; d4 -> [f, j, k];
    // d6 -> [i, k].
    using v = std::vector<digest>;
    CHECK(merkle_inclusion_proof(leaves, 0) == v{b, h, l});
    CHECK(merkle_inclusion_proof(leaves, 3) == v{c, g, l});
    CHECK(merkle_inclusion_proof(leaves, 4) == v{f, j, k});
    CHECK(merkle_inclusion_proof(leaves, 6) == v{i, k});
    for (std::uint64_t idx = 0; idx < 7; ++idx)
        CHECK(merkle_verify_inclusion(idx, 7, leaves[idx], merkle_inclusion_proof(leaves, idx),
                                      root));

    // Consistency (RFC 6962 2.1.3): 3 -> 7 is [c, d, g, l]; 4 -> 7 is [l]; 6 -> 7 is
    // [i, j, k].
    digest root3 = merkle_node_hash(g, c);
    digest root4 = k;
    digest root6 = merkle_node_hash(k, i);
    CHECK(merkle_consistency_proof(leaves, 3) == v{c, d, g, l});
    CHECK(merkle_consistency_proof(leaves, 4) == v{l});
    CHECK(merkle_consistency_proof(leaves, 6) == v{i, j, k});
    CHECK(merkle_verify_consistency(3, 7, root3, root, v{c, d, g, l}));
    CHECK(merkle_verify_consistency(4, 7, root4, root, v{l}));
    CHECK(merkle_verify_consistency(6, 7, root6, root, v{i, j, k}));
}

TEST_CASE("merkle: roots for every size 1..1024 agree between the definition and the tree") {
    auto data = numbered_leaves(1024);
    auto leaves = hashes_of(data);
    merkle_range tree;
    for (std::size_t n = 1; n <= 1024; ++n) {
        tree.append_leaf_hash(merkle_leaf_hash(data[n - 1]));
        digest recursive = merkle_root(std::span(leaves).first(n));
        if (tree.root() != recursive || tree.end() != n) {
            CAPTURE(n);
            FAIL_CHECK("incremental root differs from the recursive root");
        }
        // The independent reference is quadratic-ish in total; check it on a spread of sizes.
        if (n <= 70 || n % 61 == 0 || n == 1024) {
            CAPTURE(n);
            CHECK(reference_mth(data, 0, n) == recursive);
        }
    }
}

TEST_CASE("merkle: every inclusion and consistency proof up to 64 leaves verifies") {
    auto leaves = hashes_of(numbered_leaves(64));
    std::span<const digest> all(leaves);
    std::vector<digest> roots{merkle_empty_root()};
    for (std::size_t n = 1; n <= 64; ++n)
        roots.push_back(merkle_root(all.first(n)));
    std::size_t failures = 0;
    for (std::uint64_t n = 1; n <= 64; ++n) {
        for (std::uint64_t i = 0; i < n; ++i) {
            auto proof = merkle_inclusion_proof(all.first(n), i);
            if (!merkle_verify_inclusion(i, n, leaves[i], proof, roots[n])) {
                CAPTURE(i);
                CAPTURE(n);
                ++failures;
                FAIL_CHECK("inclusion proof does not verify");
            }
        }
        for (std::uint64_t m = 1; m <= n; ++m) {
            auto proof = merkle_consistency_proof(all.first(n), m);
            if (!merkle_verify_consistency(m, n, roots[m], roots[n], proof)) {
                CAPTURE(m);
                CAPTURE(n);
                ++failures;
                FAIL_CHECK("consistency proof does not verify");
            }
            if (m == n)
                CHECK(proof.empty());
        }
    }
    CHECK(failures == 0);
}

TEST_CASE("merkle: sampled proofs up to 1024 leaves verify") {
    auto leaves = hashes_of(numbered_leaves(1024));
    std::span<const digest> all(leaves);
    ballotbox::crypto::seeded_random rng(6962);
    for (int round = 0; round < 300; ++round) {
        std::uint64_t n = 65 + rng.uniform(1024 - 64);
        std::uint64_t i = rng.uniform(n);
        std::uint64_t m = 1 + rng.uniform(n);
        CAPTURE(n);
        CAPTURE(i);
        CAPTURE(m);
        digest root = merkle_root(all.first(n));
        CHECK(merkle_verify_inclusion(i, n, leaves[i], merkle_inclusion_proof(all.first(n), i),
                                      root));
        CHECK(merkle_verify_consistency(m, n, merkle_root(all.first(m)), root,
                                        merkle_consistency_proof(all.first(n), m)));
    }
}

TEST_CASE("merkle: malformed inclusion proofs are rejected") {
    auto leaves = hashes_of(numbered_leaves(37));
    for (std::uint64_t n : {2u, 5u, 8u, 13u, 37u}) {
        std::span<const digest> tree(leaves.data(), n);
        digest root = merkle_root(tree);
        digest other_root = merkle_root(std::span<const digest>(leaves.data(), n - 1));
        for (std::uint64_t i = 0; i < n; ++i) {
            CAPTURE(n);
            CAPTURE(i);
            auto proof = merkle_inclusion_proof(tree, i);
            REQUIRE(merkle_verify_inclusion(i, n, leaves[i], proof, root));
            // wrong length: one node short, one node too many
            auto shorter = proof;
            shorter.pop_back();
            CHECK_FALSE(merkle_verify_inclusion(i, n, leaves[i], shorter, root));
            auto longer = proof;
            longer.push_back(root);
            CHECK_FALSE(merkle_verify_inclusion(i, n, leaves[i], longer, root));
            // one node flipped, in every position
            for (std::size_t p = 0; p < proof.size(); ++p) {
                auto bad = proof;
                bad[p] = flipped(bad[p], 3 + p);
                CHECK_FALSE(merkle_verify_inclusion(i, n, leaves[i], bad, root));
            }
            // wrong index, index >= size
            CHECK_FALSE(merkle_verify_inclusion((i + 1) % n, n, leaves[i], proof, root));
            CHECK_FALSE(merkle_verify_inclusion(n, n, leaves[i], proof, root));
            CHECK_FALSE(merkle_verify_inclusion(i + n, n, leaves[i], proof, root));
            // wrong leaf, proof for a different root, wrong size
            CHECK_FALSE(merkle_verify_inclusion(i, n, flipped(leaves[i], 0), proof, root));
            CHECK_FALSE(merkle_verify_inclusion(i, n, leaves[i], proof, other_root));
            CHECK_FALSE(merkle_verify_inclusion(i, n * 2, leaves[i], proof, root));
            CHECK_FALSE(merkle_verify_inclusion(i, n / 2, leaves[i], proof, root));
        }
    }
    // Size 0: nothing is included; out-of-range generation gives no proof.
    CHECK_FALSE(merkle_verify_inclusion(0, 0, leaves[0], {}, merkle_empty_root()));
    CHECK(merkle_inclusion_proof(std::span<const digest>(leaves.data(), 3), 3).empty());
}

TEST_CASE("merkle: malformed consistency proofs are rejected") {
    auto leaves = hashes_of(numbered_leaves(40));
    std::span<const digest> all(leaves);
    auto root_of = [&](std::uint64_t n) { return merkle_root(all.first(n)); };
    const std::pair<std::uint64_t, std::uint64_t> pairs[] = {{1, 2},  {3, 7},  {4, 7},  {6, 7},
                                                             {5, 16}, {8, 40}, {17, 40}};
    for (auto [m, n] : pairs) {
        CAPTURE(m);
        CAPTURE(n);
        auto proof = merkle_consistency_proof(all.first(n), m);
        digest old_root = root_of(m), new_root = root_of(n);
        REQUIRE(merkle_verify_consistency(m, n, old_root, new_root, proof));
        auto shorter = proof;
        shorter.pop_back();
        CHECK_FALSE(merkle_verify_consistency(m, n, old_root, new_root, shorter));
        auto longer = proof;
        longer.push_back(new_root);
        CHECK_FALSE(merkle_verify_consistency(m, n, old_root, new_root, longer));
        CHECK_FALSE(merkle_verify_consistency(m, n, old_root, new_root, {}));
        for (std::size_t p = 0; p < proof.size(); ++p) {
            auto bad = proof;
            bad[p] = flipped(bad[p], 4 + p);
            CHECK_FALSE(merkle_verify_consistency(m, n, old_root, new_root, bad));
        }
        // a proof for different roots / sizes
        CHECK_FALSE(merkle_verify_consistency(m, n, flipped(old_root, 1), new_root, proof));
        CHECK_FALSE(merkle_verify_consistency(m, n, old_root, root_of(n - 1), proof));
        CHECK_FALSE(merkle_verify_consistency(m, n, new_root, old_root, proof));
        CHECK_FALSE(merkle_verify_consistency(m + 1, n, old_root, new_root, proof));
        // A wrong new size is caught when it changes the tree's shape (n * 2, n / 2); sizes
        // whose right edge has the same shape (n + 1 for some n) give the same path, so
        // the roots, not the sizes, are what binds a proof.
        CHECK_FALSE(merkle_verify_consistency(m, n * 2, old_root, new_root, proof));
        if (n / 2 >= m)
            CHECK_FALSE(merkle_verify_consistency(m, n / 2, old_root, new_root, proof));
        // old_size > new_size, old_size 0
        CHECK_FALSE(merkle_verify_consistency(n, m, new_root, old_root, proof));
        CHECK_FALSE(merkle_verify_consistency(0, n, merkle_empty_root(), new_root, proof));
        CHECK_FALSE(merkle_verify_consistency(0, n, merkle_empty_root(), new_root, {}));
    }
    // Equal sizes: an empty proof and equal roots, nothing else.
    digest r = root_of(9);
    CHECK(merkle_verify_consistency(9, 9, r, r, {}));
    CHECK_FALSE(merkle_verify_consistency(9, 9, r, r, std::vector<digest>{r}));
    CHECK_FALSE(merkle_verify_consistency(9, 9, r, root_of(8), {}));
    // Out-of-range generation gives no proof.
    CHECK(merkle_consistency_proof(all.first(5), 0).empty());
    CHECK(merkle_consistency_proof(all.first(5), 6).empty());
}
