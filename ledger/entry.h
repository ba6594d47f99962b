// entry: one event of the ledger's hash chain, its type codes and its hash.
//
// An entry is (seq, type, body, prev_hash, entry_hash). seq counts from 0 (the genesis
// entry) without gaps and equals the entry's leaf index in the Merkle tree. body is the
// canonical JSON text of the event (see canonical_json.h). prev_hash is the previous
// entry's entry_hash (32 zero bytes for genesis). entry_hash is SHA-256 over
//     "ballotbox/ledger/entry/v1" 0x00 || u64be(seq) || u32be(type) || u32be(len(body))
//     || body || prev_hash
// and the Merkle leaf of the entry is merkle_leaf_hash(entry_hash) (RFC 6962 leaf over the
// 32 hash bytes). docs/ledger-format.md is the normative description.
//
// Pure value types and functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "crypto/sha256.h"

namespace ballotbox::ledger {

// Stable numeric codes: stored in the file and hashed. Never renumber; only add.
enum class event_type : std::uint32_t {
    genesis = 1,
    opening = 2,
    issue = 3,
    cast = 4,
    cancel = 5,
    rejected_card = 6,
    turnout = 7,
    restart = 8,
    operator_command = 9,
    closing = 10,
    protocol_issued = 11,
    portable_import = 12,
    reset_with_minutes = 13,
    portable_registered = 14,
    portable_not_used = 15,
};

// The name used in docs and messages ("cast"), or nullopt for an unknown code.
std::optional<std::string_view> event_type_name(std::uint32_t code);
bool is_known_event_type(std::uint32_t code);

struct entry {
    std::uint64_t seq = 0;
    event_type type = event_type::genesis;
    std::string body;  // canonical JSON text
    crypto::digest prev_hash{};
    crypto::digest entry_hash{};
};

inline constexpr std::string_view entry_domain = "ballotbox/ledger/entry/v1";

// The exact bytes that are hashed (exposed for tests and docs).
bytes entry_hash_input(std::uint64_t seq, std::uint32_t type, std::string_view body,
                       byte_view prev_hash);
crypto::digest compute_entry_hash(std::uint64_t seq, std::uint32_t type, std::string_view body,
                                  byte_view prev_hash);
// The same hash, streamed into a caller's hasher (reset first), so a loop over many entries
// makes no copy of the fields and no new hashing context per entry.
crypto::digest compute_entry_hash(crypto::sha256_hasher& hasher, std::uint64_t seq,
                                  std::uint32_t type, std::string_view body, byte_view prev_hash);
// merkle_leaf_hash(entry_hash).
crypto::digest entry_leaf_hash(const crypto::digest& entry_hash);

}  // namespace ballotbox::ledger
