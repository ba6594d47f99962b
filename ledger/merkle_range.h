// merkle_range: an RFC 6962 compact range, the few subtree roots that stand for the leaves
// [begin, end) of a Merkle tree, so that pieces of one tree hashed apart (on separate threads)
// can be joined and give the root of any prefix.
//
// The range holds the greedy decomposition of [begin, end) into aligned perfect subtrees
// (each of 2^k leaves, starting at a multiple of 2^k), left to right: at most about
// 2 log2(n) nodes. Appending a leaf, or a whole range that starts where this one ends, merges
// sibling subtrees as it goes (one node hash per merge). A range that starts at 0 holds
// exactly the right edge of the tree of its size, and root() is that tree's RFC 6962 root,
// the same as merkle_root over the same leaves (tests/ledger/merkle_range_test.cpp).
//
// A range that follows another (starts at or after it, ends where it ends, same leaves) can
// be fed with it: every parent the follower makes is one the leader has just made, so it
// costs no hash. Two such ranges cut at checkpoint sizes give RFC 6962 consistency proofs
// between those sizes without keeping the leaves (consistency_proof).
//
// A value type: copy it to keep a snapshot. Not thread-safe; distinct ranges may be used on
// distinct threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "ledger/merkle.h"

namespace ballotbox::ledger {

class merkle_range {
  public:
    explicit merkle_range(std::uint64_t begin = 0) : begin_(begin), end_(begin) {}

    std::uint64_t begin() const { return begin_; }
    std::uint64_t end() const { return end_; }

    void append_leaf_hash(const digest& leaf_hash) { push(0, leaf_hash); }
    // Appends the leaf here and to `follower`, which takes the parents hashed here instead of
    // hashing them again. Expects follower.begin() >= begin() and follower.end() == end(),
    // both over the same leaves; otherwise the follower hashes for itself (same result).
    void append_leaf_hash(const digest& leaf_hash, merkle_range& follower);
    // Appends every leaf of `next`. Precondition: next.begin() == end(); returns false (and
    // changes nothing) otherwise.
    bool append_range(const merkle_range& next);

    // The RFC 6962 root of leaves [0, end()). Precondition: begin() == 0 (the empty root for
    // an empty range).
    digest root() const;

    // The RFC 6962 consistency proof from the tree of this range's leaves to the tree of
    // those leaves followed by `extension`'s, as merkle_consistency_proof gives it over all
    // the leaves. Needs begin() == 0 < end() == extension.begin(); nullopt otherwise.
    std::optional<std::vector<digest>> consistency_proof(const merkle_range& extension) const;

  private:
    struct node {
        unsigned level;  // the subtree has 2^level leaves
        digest hash;
    };
    // The parents one push made, lowest first (a tree of 2^64 leaves has 64 levels).
    using parents = std::array<digest, 64>;
    // Returns how many parents it made; `made` receives them when not null. Parent j is
    // taken from `known` (j < known_count) instead of hashed.
    unsigned push(unsigned level, const digest& hash, parents* made = nullptr,
                  const parents* known = nullptr, unsigned known_count = 0);

    std::uint64_t begin_;
    std::uint64_t end_;
    std::vector<node> nodes_;  // left to right
};

}  // namespace ballotbox::ledger
