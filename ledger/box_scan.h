// box_scan: one pass over the ballots table in box-key order, checking each row's shape and
// computing the box's Merkle leaves and root (ballot_box.h). Used by verify().
//
// The box can also be scanned in parts, each a range of keys on its own connection (and
// thread); the parts' leaves, concatenated in key order, are the whole box's.
//
// Reads only; thread safety as the connection passed in.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/sha256.h"
#include "ledger/statement_cache.h"

namespace ballotbox::ledger {

struct box_scan {
    std::uint64_t ballots = 0;
    std::array<std::uint64_t, 2> by_source{};  // stationary, portable
    crypto::digest root{};
};

struct box_part {
    std::array<std::uint64_t, 2> by_source{};
    std::vector<crypto::digest> leaves;  // in key order
};

// Errors: "ledger.bad_ballot_row" (wrong column type, key not 16 bytes, source not 0/1, an
// empty or oversized field; `bad_key` receives the row's key in hex), storage errors.
result<box_scan> scan_box(sqlite::database& db, std::string& bad_key);

// The rows with lower <= box_key < upper in SQLite's order (an absent bound is no bound, so
// parts cut at the same keys cover every row, whatever its type), read with the statement
// `statements` holds for that query. Errors as scan_box.
result<box_part> scan_box_part(sqlite::statement_cache& statements,
                               const std::optional<bytes>& lower, const std::optional<bytes>& upper,
                               std::string& bad_key);

// The keys that cut the box's key space at `cuts` (ascending fractions in 2^-32, as
// verify_team.h's part_cuts gives them; box keys are uniformly random, so each part holds
// about its fraction of the ballots): one key per cut, ascending.
std::vector<bytes> box_part_bounds(const std::vector<std::uint32_t>& cuts);

}  // namespace ballotbox::ledger
