// protocol_document: the precinct protocol as a value (format "ballotbox/protocol/1", see
// docs/protocol-format.md), its canonical JSON bytes and its strict parser.
//
// The document carries the figures per ballot, the reconciliation checks as computed, the
// ledger pin (final/opening/turnout checkpoint and the ballot-box root) and the appliance
// key. to_canonical_json() gives the exact bytes that are signed (RFC 8785, integers only).
// parse_protocol_json() accepts only those bytes: canonical form, every member present with
// its type, no unknown member; each malformed input has its own "protocol.*" code. It is the
// one reader of protocol.json: verify-protocol, the audit and the tally (which receives the
// uploads) all use it.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace ballotbox::protocol {

inline constexpr std::string_view protocol_format = "ballotbox/protocol/1";
// The largest protocol.json parse_protocol_json() reads (a real one is a few kilobytes).
inline constexpr std::size_t max_protocol_json_bytes = 1024 * 1024;

enum class report_kind { zero, turnout, result };
std::string_view report_kind_name(report_kind kind);  // "zero" | "turnout" | "result"
std::optional<report_kind> report_kind_from_name(std::string_view name);

struct option_votes {
    std::string id;
    std::int64_t votes = 0;
    friend bool operator==(const option_votes&, const option_votes&) = default;
};

struct ballot_figures {
    std::string id;
    std::int64_t issued_station = 0;
    std::int64_t issued_portable = 0;
    std::int64_t cancelled = 0;
    std::int64_t not_returned = 0;
    std::int64_t cast_station = 0;
    std::int64_t cast_portable = 0;
    std::int64_t took_part = 0;
    std::vector<option_votes> options;  // ballot order, zeros included
    std::int64_t against_all = 0;
    std::int64_t blank = 0;
    std::int64_t turnout_basis_points = 0;
    friend bool operator==(const ballot_figures&, const ballot_figures&) = default;
};

struct check_result {
    std::string id;
    bool holds = false;
    friend bool operator==(const check_result&, const check_result&) = default;
};

struct ledger_pin {
    std::string origin;
    std::uint64_t tree_size = 0;
    crypto::digest root{};
    std::uint32_t key_id = 0;
    crypto::digest box_root{};
    std::uint64_t box_size = 0;
    friend bool operator==(const ledger_pin&, const ledger_pin&) = default;
};

struct portable_box_state {
    bool registered = false;
    bool imported = false;
    bool not_used = true;
    friend bool operator==(const portable_box_state&, const portable_box_state&) = default;
};

struct protocol_document {
    report_kind kind = report_kind::result;
    bool training = false;
    std::string election_id;
    crypto::digest package_sha256{};
    std::string station_id;
    std::int64_t station_number = 0;
    std::int64_t district_number = 0;
    std::string region;
    std::string event_time;  // RFC 3339 local time, e.g. "2023-03-19T20:00:00+06:00"
    ledger_pin ledger;
    crypto::ed25519_raw_public_key appliance_key{};
    std::int64_t voters_on_list = 0;
    std::int64_t voters_added = 0;
    std::vector<ballot_figures> ballots;
    std::vector<check_result> checks;
    portable_box_state portable_box;
    friend bool operator==(const protocol_document&, const protocol_document&) = default;
};

// The figures of the ballot with this id, or nullptr if the document has none.
const ballot_figures* find_ballot(const protocol_document& doc, std::string_view ballot_id);

// The RFC 8785 bytes of the document. Errors: "protocol.bad_value" (a string that is not
// valid UTF-8).
result<std::string> to_canonical_json(const protocol_document& doc);

// Errors: "protocol.not_json", "protocol.not_canonical", "protocol.bad_format",
// "protocol.missing_member", "protocol.unknown_member", "protocol.bad_member" (wrong type or
// out of range), each naming the member.
result<protocol_document> parse_protocol_json(std::string_view text);

}  // namespace ballotbox::protocol
