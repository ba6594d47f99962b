#include "ledger/merkle_range.h"

namespace ballotbox::ledger {

// A node of 2^level leaves is pushed at end_ (which it must be aligned to). While the node
// before it is its left sibling (same size, and the pair starts at a multiple of twice that
// size), the two become their parent: hashed, or taken from `known` when a leader has just
// made it. A follower's merges are its leader's first ones: its nodes are the leader's
// maximal aligned blocks that lie after its begin, so whenever it merges at a level the
// leader did too, over the same two blocks.
unsigned merkle_range::push(unsigned level, const digest& hash, parents* made, const parents* known,
                            unsigned known_count) {
    node carry{level, hash};
    std::uint64_t start = end_;
    end_ += std::uint64_t{1} << level;
    unsigned merges = 0;
    while (!nodes_.empty() && nodes_.back().level == carry.level) {
        const std::uint64_t size = std::uint64_t{1} << carry.level;
        const std::uint64_t left_start = start - size;
        if (left_start < begin_ || left_start % (2 * size) != 0)
            break;
        carry = node{carry.level + 1, known && merges < known_count
                                          ? (*known)[merges]
                                          : merkle_node_hash(nodes_.back().hash, carry.hash)};
        if (made && merges < made->size())
            (*made)[merges] = carry.hash;
        ++merges;
        nodes_.pop_back();
        start = left_start;
    }
    nodes_.push_back(carry);
    return merges;
}

void merkle_range::append_leaf_hash(const digest& leaf_hash, merkle_range& follower) {
    if (follower.begin_ < begin_ || follower.end_ != end_) {
        push(0, leaf_hash);
        follower.push(0, leaf_hash);
        return;
    }
    parents made;
    const unsigned count = push(0, leaf_hash, &made);
    follower.push(0, leaf_hash, nullptr, &made, count);
}

bool merkle_range::append_range(const merkle_range& next) {
    if (next.begin_ != end_)
        return false;
    for (const auto& n : next.nodes_)
        push(n.level, n.hash);
    return true;
}

digest merkle_range::root() const {
    if (nodes_.empty())
        return merkle_empty_root();
    digest r = nodes_.back().hash;
    for (auto it = nodes_.rbegin() + 1; it != nodes_.rend(); ++it)
        r = merkle_node_hash(it->hash, r);
    return r;
}

// RFC 6962 section 2.1.2's proof, over the old tree [0, m) and the extension [m, n). Every
// subtree SUBPROOF names lies on one side of m and is one of that side's nodes, or (at the right
// edge of the new tree) a run of them to the end, folded as root() folds: the left siblings
// of the path to the old tree's last leaf are the old range's blocks, the right siblings the
// extension's.
std::optional<std::vector<digest>> merkle_range::consistency_proof(
    const merkle_range& extension) const {
    if (begin_ != 0 || end_ == 0 || extension.begin_ != end_)
        return std::nullopt;
    const std::uint64_t m = end_;
    bool ok = true;
    auto subtree = [&](std::uint64_t start, std::uint64_t count) -> digest {
        const merkle_range& side = start < m ? *this : extension;
        std::uint64_t at = side.begin_;
        std::size_t first = 0;
        while (first < side.nodes_.size() && at < start)
            at += std::uint64_t{1} << side.nodes_[first++].level;
        std::size_t last = first;
        std::uint64_t end = at;
        while (last < side.nodes_.size() && end < start + count)
            end += std::uint64_t{1} << side.nodes_[last++].level;
        if (at != start || end != start + count || last == first) {
            ok = false;
            return {};
        }
        digest r = side.nodes_[last - 1].hash;
        for (std::size_t i = last - 1; i-- > first;)
            r = merkle_node_hash(side.nodes_[i].hash, r);
        return r;
    };
    std::vector<digest> proof;
    merkle_consistency_subtrees(m, extension.end_, [&](std::uint64_t start, std::uint64_t count) {
        proof.push_back(subtree(start, count));
    });
    if (!ok)
        return std::nullopt;
    return proof;
}

}  // namespace ballotbox::ledger
