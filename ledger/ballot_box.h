// ballot_box: the accepted ballots as the ledger stores them, their canonical encoding and
// the Merkle root over the box.
//
// A ballot is opaque to the ledger: the record bytes as the booth wrote them, the booth's
// signature, the one-time token, and the box it came in (stationary or portable). Each is
// stored under a random 16-byte box key; the box is read and hashed in box-key order
// (bytewise), never in cast order. The leaf for a ballot is merkle_leaf_hash over
//     "ballotbox/ledger/ballot/v1" 0x00 || box_key(16) || u8(source)
//     || u32be(len(record)) || record || u32be(len(signature)) || signature
//     || u32be(len(token)) || token
// and the box root is merkle_root of those leaves in key order (the empty root for an empty
// box).
//
// Pure value types and functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/sha256.h"

namespace ballotbox::ledger {

enum class ballot_source : std::uint8_t { stationary = 0, portable = 1 };

using box_key = std::array<std::uint8_t, 16>;

// Bounds on the opaque fields (a record larger than this is not a ballot card's record).
inline constexpr std::size_t max_record_size = 64 * 1024;
inline constexpr std::size_t max_signature_size = 1024;
inline constexpr std::size_t max_token_size = 256;

struct ballot {
    bytes record;
    bytes booth_signature;
    bytes token;
    ballot_source source = ballot_source::stationary;
    friend bool operator==(const ballot&, const ballot&) = default;
};

struct stored_ballot {
    box_key key{};
    ballot content;
    friend bool operator==(const stored_ballot&, const stored_ballot&) = default;
};

// A ballot's fields without a copy (verify() reads them as views into SQLite's row).
struct ballot_view {
    byte_view record;
    byte_view booth_signature;
    byte_view token;
    ballot_source source = ballot_source::stationary;
};
inline ballot_view view_of(const ballot& b) {
    return {b.record, b.booth_signature, b.token, b.source};
}

// Errors: "ledger.ballot_invalid" (an empty or oversized field), naming the field.
status check_ballot(const ballot_view& b);
inline status check_ballot(const ballot& b) {
    return check_ballot(view_of(b));
}

inline constexpr std::string_view ballot_domain = "ballotbox/ledger/ballot/v1";

bytes ballot_leaf_input(const stored_ballot& b);
// merkle_leaf_hash(ballot_leaf_input(...)), built in a buffer kept per thread.
crypto::digest ballot_leaf_hash(const box_key& key, const ballot_view& b);
inline crypto::digest ballot_leaf_hash(const stored_ballot& b) {
    return ballot_leaf_hash(b.key, view_of(b.content));
}
// Root over ballots that are already in key order.
crypto::digest box_root(std::span<const stored_ballot> ballots_in_key_order);

}  // namespace ballotbox::ledger
