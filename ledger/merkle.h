// RFC 6962 (Certificate Transparency) Merkle trees: hashing, roots, inclusion and
// consistency proofs, and an incremental tree for append-only logs.
//
// Hashing is exactly RFC 6962 section 2.1: the empty tree's root is SHA-256 of the empty
// string; a leaf is SHA-256(0x00 || data); an interior node is SHA-256(0x01 || left || right);
// a tree of n > 1 leaves splits at the largest power of two below n (no duplicated nodes).
// Proofs are RFC 6962 section 2.1.1 (audit paths) and 2.1.2 (consistency proofs), verified as
// RFC 9162 section 2.1.3.2 and 2.1.4.2 describe.
//
// All functions are pure and thread-safe. The append-only tree is merkle_range (merkle_range.h).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "crypto/sha256.h"

namespace ballotbox::ledger {

using crypto::digest;

digest merkle_empty_root();
digest merkle_leaf_hash(byte_view leaf_data);
digest merkle_node_hash(const digest& left, const digest& right);

// Root of the tree whose leaves have the given leaf hashes (the Merkle Tree Hash, MTH).
digest merkle_root(std::span<const digest> leaf_hashes);

// Audit path for leaf `index` in the tree of leaf_hashes.size() leaves. index < size.
std::vector<digest> merkle_inclusion_proof(std::span<const digest> leaf_hashes,
                                           std::uint64_t index);
bool merkle_verify_inclusion(std::uint64_t index, std::uint64_t tree_size, const digest& leaf_hash,
                             std::span<const digest> proof, const digest& root);

// Consistency proof between the tree of the first old_size leaves and the whole tree.
// 0 < old_size <= leaf_hashes.size() (an empty proof when they are equal).
std::vector<digest> merkle_consistency_proof(std::span<const digest> leaf_hashes,
                                             std::uint64_t old_size);
// The subtrees [start, start + count) whose roots make that proof, in the proof's order, as
// RFC 6962 2.1.2's SUBPROOF names them: for a caller that holds the roots some other way
// (merkle_range). Nothing when 0 < old_size < new_size does not hold.
using merkle_subtree_visitor = std::function<void(std::uint64_t start, std::uint64_t count)>;
void merkle_consistency_subtrees(std::uint64_t old_size, std::uint64_t new_size,
                                 const merkle_subtree_visitor& visit);
bool merkle_verify_consistency(std::uint64_t old_size, std::uint64_t new_size,
                               const digest& old_root, const digest& new_root,
                               std::span<const digest> proof);

}  // namespace ballotbox::ledger
