// bodies: the event bodies the ledger itself writes and interprets (genesis, cast, closing,
// rejected_card), built and parsed strictly. Every other event's body is the daemon's own
// canonical JSON object, which the ledger stores and hashes without interpreting.
//
//   genesis: {"appliance_key":<hex, 32-byte Ed25519 public key>,
//             "election_package_sha256":<hex, 32 bytes>,"format_version":1,
//             "origin":<checkpoint origin>, ...extra fields}
//   cast:    {"source":0|1,"window_start":<seconds since epoch, see cast_window.h>}
//            (exactly these two keys: no ballot content, no token, no box key, no fine time)
//   closing: {"box_root":<hex, 32 bytes>,"box_size":<ballots in the box>, ...extra fields}
//   rejected_card: must hold an integer "reason" (the daemon's reason code).
//
// The origin names the log in checkpoints and is also the signing key's name, so it must be
// 1..255 printable ASCII characters without spaces or '+' (C2SP signed-note key names).
// Pure functions, thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "ledger/ballot_box.h"

namespace ballotbox::ledger {

struct genesis_info {
    crypto::digest election_package_sha256{};
    crypto::ed25519_raw_public_key appliance_key{};
    std::string origin;
    boost::json::object extra;  // more fields (election id, station, training flag, ...)
};

// Errors: "ledger.bad_origin".
status check_origin(std::string_view origin);

// Errors: "ledger.bad_origin", "ledger.reserved_body_key" (extra uses a key the ledger sets).
result<std::string> make_genesis_body(const genesis_info& info);
// Errors: "ledger.bad_genesis" (a field missing, of the wrong type or malformed), plus the
// canonical-JSON errors.
result<genesis_info> parse_genesis_body(std::string_view body);

std::string make_cast_body(ballot_source source, std::int64_t window_start);
struct cast_body {
    ballot_source source = ballot_source::stationary;
    std::int64_t window_start = 0;
};
// Errors: "ledger.bad_cast_body" (any key other than the two, or a bad value).
result<cast_body> parse_cast_body(std::string_view body);

// Errors: "ledger.reserved_body_key", "ledger.body_not_canonical".
result<std::string> make_closing_body(const boost::json::object& extra,
                                      const crypto::digest& box_root, std::uint64_t box_size);
struct closing_body {
    crypto::digest box_root{};
    std::uint64_t box_size = 0;
};
// Errors: "ledger.bad_closing_body".
result<closing_body> parse_closing_body(std::string_view body);

// Errors: "ledger.bad_rejection_body" (no integer "reason").
status check_rejection_body(const boost::json::object& body);

}  // namespace ballotbox::ledger
