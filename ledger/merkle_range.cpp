#include "ledger/merkle_range.h"

namespace ballotbox::ledger {

// A node of 2^level leaves is pushed at end_ (which it must be aligned to). While the node
// before it is its left sibling (same size, and the pair starts at a multiple of twice that
// size), the two become their parent.
void merkle_range::push(unsigned level, const digest& hash) {
    node carry{level, hash};
    std::uint64_t start = end_;
    end_ += std::uint64_t{1} << level;
    while (!nodes_.empty() && nodes_.back().level == carry.level) {
        const std::uint64_t size = std::uint64_t{1} << carry.level;
        const std::uint64_t left_start = start - size;
        if (left_start < begin_ || left_start % (2 * size) != 0)
            break;
        carry = node{carry.level + 1, merkle_node_hash(nodes_.back().hash, carry.hash)};
        nodes_.pop_back();
        start = left_start;
    }
    nodes_.push_back(carry);
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

}  // namespace ballotbox::ledger
