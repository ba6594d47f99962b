// box_scan: one pass over the ballots table in box-key order, checking each row's shape and
// computing the box's Merkle leaves and root (ballot_box.h). Used by verify().
//
// Reads only; thread safety as the connection passed in.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "crypto/sha256.h"
#include "ledger/sqlite.h"

namespace ballotbox::ledger {

struct box_scan {
    std::uint64_t ballots = 0;
    std::array<std::uint64_t, 2> by_source{};  // stationary, portable
    crypto::digest root{};
};

// Errors: "ledger.bad_ballot_row" (wrong column type, key not 16 bytes, source not 0/1, an
// empty or oversized field; `bad_key` receives the row's key in hex), storage errors.
result<box_scan> scan_box(sqlite::database& db, std::string& bad_key);

}  // namespace ballotbox::ledger
