// portable_ledger: the complete check of a portable ballot box's ledger before its ballots
// enter the station's box (docs/portable-box.md), shared by the import and the audit.
//
// check_portable_ledger() opens the file read-only (ledger::open_read_only verifies the whole
// chain, every checkpoint's signature and the box against the closing entry) and then
// requires: a ledger made in the portable role; for this election package and station; with
// the station's issue-MAC key (the genesis commitment); signed by an appliance key the
// station registered; closed with its final checkpoint; and every ballot a voted card of this
// election and station, in a style of the package, signed by a booth of the package, with a
// valid issue MAC, its token used once and not cancelled in the portable box. Any failure is
// an error naming what is wrong; nothing is changed anywhere (the file is opened immutable).
//
// The summary carries what the import records: the ballots (source portable), their tokens,
// the issued and cancelled cards per style, and the final checkpoint that pins the ledger.
// Thread safety: independent calls on distinct files are independent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cardio/card_record.h"
#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "election/election_package.h"
#include "ledger/ballot_box.h"

namespace ballotbox::appliance {

struct portable_expectations {
    const election::election_package* package = nullptr;          // required
    byte_view mac_key;                                            // the station's issue-MAC key
    std::vector<crypto::ed25519_raw_public_key> registered_keys;  // of the station's ledger
};

struct portable_ledger_summary {
    crypto::ed25519_raw_public_key appliance_key{};
    std::uint64_t tree_size = 0;                    // of the final checkpoint (the whole ledger)
    crypto::digest root{};                          // its Merkle root
    std::string final_checkpoint;                   // the signed note
    std::vector<ledger::ballot> ballots;            // source portable, in box-key order
    std::vector<cardio::one_time_token> tokens;     // parallel to ballots
    std::map<std::string, std::int64_t> issued;     // style id -> cards issued
    std::map<std::string, std::int64_t> cancelled;  // style id -> cards cancelled
};

// Errors: "portable.ledger_invalid" (the ledger does not verify, or cannot be opened),
// "portable.not_portable", "portable.other_election", "portable.other_station",
// "portable.other_kit", "portable.not_registered", "portable.not_closed",
// "portable.bad_ballot" (naming the box key and the check), "portable.bad_event" (naming
// the entry).
result<portable_ledger_summary> check_portable_ledger(const std::filesystem::path& file,
                                                      const portable_expectations& expect);

// Hex of the raw key: how the station's ledger names a portable box.
std::string portable_key_id(const crypto::ed25519_raw_public_key& key);

}  // namespace ballotbox::appliance
