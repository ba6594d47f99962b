// The tally's reading of one exported precinct protocol (protocol.json, format
// "ballotbox/protocol/1", see /tmp contract in docs/tally.md "What is read").
//
// parse_station_protocol() is strict: the text must parse with parse_json_strict (no
// duplicate members, no floats, bounded size) AND be exactly its own RFC 8785 canonical form
// (the bytes the appliance signed); every member of the format must be there with its type,
// none other. Each malformed input gives "tally.protocol_*" with the member's path.
// It does not judge the figures: verify_export() does (reconciliation, package, key).
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace ballotbox::tally {

inline constexpr std::size_t max_protocol_bytes = 1u << 20;

struct option_count {
    std::string id;
    std::int64_t votes = 0;
};

struct ballot_count {
    std::string id;
    std::int64_t issued_station = 0;
    std::int64_t issued_portable = 0;
    std::int64_t cancelled = 0;
    std::int64_t not_returned = 0;
    std::int64_t cast_station = 0;
    std::int64_t cast_portable = 0;
    std::int64_t took_part = 0;
    std::vector<option_count> options;
    std::int64_t against_all = 0;
    std::int64_t blank = 0;
    std::int64_t turnout_basis_points = 0;
};

struct station_protocol {
    std::string kind;  // "zero" | "turnout" | "result"
    bool training = false;
    std::string election_id;
    crypto::digest package_sha256{};
    std::string station_id;
    std::int64_t station_number = 0;
    std::int64_t district_number = 0;
    std::string region;
    std::string event_time;
    std::string ledger_origin;
    std::uint64_t ledger_tree_size = 0;
    crypto::digest ledger_root{};
    crypto::ed25519_raw_public_key appliance_key{};
    std::int64_t voters_on_list = 0;
    std::int64_t voters_added = 0;
    std::vector<ballot_count> ballots;
    std::vector<std::pair<std::string, bool>> checks;
};

// Errors: "tally.protocol_not_json", "tally.protocol_not_canonical",
// "tally.protocol_bad_format", "tally.protocol_missing_member",
// "tally.protocol_unknown_member", "tally.protocol_bad_member".
result<station_protocol> parse_station_protocol(std::string_view text);

}  // namespace ballotbox::tally
