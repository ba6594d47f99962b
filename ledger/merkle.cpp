#include "ledger/merkle.h"

#include <algorithm>
#include <array>
#include <bit>

namespace ballotbox::ledger {
namespace {

// Largest power of two strictly below n (n > 1): the RFC 6962 split point k.
std::uint64_t split_point(std::uint64_t n) {
    return std::bit_floor(n - 1);
}

using leaves = std::span<const digest>;

// MTH(D[n]) over a non-empty span: every leaf hash is read once, so O(n).
digest subtree_root(leaves d) {
    if (d.size() == 1)
        return d[0];
    std::uint64_t k = split_point(d.size());
    return merkle_node_hash(subtree_root(d.first(k)), subtree_root(d.subspan(k)));
}

// RFC 6962 2.1.1 PATH(m, D[n]), appended bottom-up to out. The sibling subtrees hashed at
// each level are disjoint, so the whole proof costs O(n) hashes.
void inclusion_path(std::uint64_t m, leaves d, std::vector<digest>& out) {
    if (d.size() <= 1)
        return;
    std::uint64_t k = split_point(d.size());
    if (m < k) {
        inclusion_path(m, d.first(k), out);
        out.push_back(subtree_root(d.subspan(k)));
    } else {
        inclusion_path(m - k, d.subspan(k), out);
        out.push_back(subtree_root(d.first(k)));
    }
}

// RFC 6962 2.1.2 SUBPROOF(m, D[start:start+count], b), m relative to start: names each
// subtree of the proof, bottom-up.
void consistency_subproof(std::uint64_t m, std::uint64_t start, std::uint64_t count, bool complete,
                          const merkle_subtree_visitor& visit) {
    if (m == count) {
        if (!complete)
            visit(start, count);
        return;
    }
    std::uint64_t k = split_point(count);
    if (m <= k) {
        consistency_subproof(m, start, k, complete, visit);
        visit(start + k, count - k);
    } else {
        consistency_subproof(m - k, start + k, count - k, false, visit);
        visit(start, k);
    }
}

bool lsb(std::uint64_t x) {
    return (x & 1) != 0;
}

}  // namespace

digest merkle_empty_root() {
    return crypto::sha256(byte_view{});
}

// Every leaf and node of a big tree is one short message: hashing them with one context per
// thread, reset between messages, avoids allocating (and cleansing) a context per hash, which
// cost about as much as the hash itself. The context lives until the thread exits.
namespace {
crypto::sha256_hasher& tree_hasher() {
    thread_local crypto::sha256_hasher hasher;
    hasher.reset();
    return hasher;
}
}  // namespace

digest merkle_leaf_hash(byte_view leaf_data) {
    auto& h = tree_hasher();
    h.update(std::uint8_t{0x00});
    h.update(leaf_data);
    return h.finish();
}

digest merkle_node_hash(const digest& left, const digest& right) {
    std::array<std::uint8_t, 65> buffer;
    buffer[0] = 0x01;
    std::copy(left.begin(), left.end(), buffer.begin() + 1);
    std::copy(right.begin(), right.end(), buffer.begin() + 33);
    return tree_hasher().update(buffer).finish();
}

digest merkle_root(std::span<const digest> leaf_hashes) {
    if (leaf_hashes.empty())
        return merkle_empty_root();
    return subtree_root(leaf_hashes);
}

std::vector<digest> merkle_inclusion_proof(std::span<const digest> leaf_hashes,
                                           std::uint64_t index) {
    std::vector<digest> proof;
    if (index >= leaf_hashes.size())
        return proof;  // precondition violated: no proof
    inclusion_path(index, leaf_hashes, proof);
    return proof;
}

bool merkle_verify_inclusion(std::uint64_t index, std::uint64_t tree_size, const digest& leaf_hash,
                             std::span<const digest> proof, const digest& root) {
    // RFC 9162 section 2.1.3.2.
    if (index >= tree_size)
        return false;
    std::uint64_t fn = index;
    std::uint64_t sn = tree_size - 1;
    digest r = leaf_hash;
    for (const digest& p : proof) {
        if (sn == 0)
            return false;
        if (lsb(fn) || fn == sn) {
            r = merkle_node_hash(p, r);
            if (!lsb(fn)) {
                while (!lsb(fn) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = merkle_node_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

std::vector<digest> merkle_consistency_proof(std::span<const digest> leaf_hashes,
                                             std::uint64_t old_size) {
    std::vector<digest> proof;
    merkle_consistency_subtrees(
        old_size, leaf_hashes.size(), [&](std::uint64_t start, std::uint64_t count) {
            proof.push_back(subtree_root(leaf_hashes.subspan(start, count)));
        });
    return proof;
}

void merkle_consistency_subtrees(std::uint64_t old_size, std::uint64_t new_size,
                                 const merkle_subtree_visitor& visit) {
    if (old_size == 0 || old_size >= new_size)
        return;
    consistency_subproof(old_size, 0, new_size, true, visit);
}

bool merkle_verify_consistency(std::uint64_t old_size, std::uint64_t new_size,
                               const digest& old_root, const digest& new_root,
                               std::span<const digest> proof) {
    if (old_size == 0 || old_size > new_size)
        return false;
    if (old_size == new_size)
        return proof.empty() && old_root == new_root;
    // RFC 9162 section 2.1.4.2.
    if (proof.empty())
        return false;
    std::size_t next = 0;
    digest fr;
    if (std::has_single_bit(old_size)) {
        fr = old_root;  // the old tree is a complete subtree: its root starts the path
    } else {
        fr = proof[next++];
    }
    digest sr = fr;
    std::uint64_t fn = old_size - 1;
    std::uint64_t sn = new_size - 1;
    while (lsb(fn)) {
        fn >>= 1;
        sn >>= 1;
    }
    for (; next < proof.size(); ++next) {
        const digest& c = proof[next];
        if (sn == 0)
            return false;
        if (lsb(fn) || fn == sn) {
            fr = merkle_node_hash(c, fr);
            sr = merkle_node_hash(c, sr);
            if (!lsb(fn)) {
                while (!lsb(fn) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = merkle_node_hash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && fr == old_root && sr == new_root;
}

}  // namespace ballotbox::ledger
