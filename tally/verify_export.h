// Verifying one exported protocol on arrival (docs/tally.md, "Verification").
//
// An export directory holds protocol.json, protocol.json.sig (64 raw bytes),
// appliance.pub.pem and checkpoint.txt. It is accepted when, in this order:
//  - the files are there and within their size bounds;
//  - protocol.json is strict, canonical, of the format: protocol::parse_protocol_json, the
//    appliance's own reader, whose "protocol.X" codes are given as "tally.protocol_X";
//  - it is a result protocol, not a zero or turnout report;
//  - its station has a package in the election (tally.station_not_in_election);
//  - the station is registered (tally.station_not_registered) and the key in the PEM file
//    and in the document are both the REGISTERED key (tally.key_not_registered);
//  - the signature over the exact bytes verifies with the registered key (tally.bad_signature);
//  - election id, package hash and training flag are the station's package's
//    (tally.wrong_election, tally.wrong_package, tally.training_mismatch);
//  - station number, district and region are the package's (tally.station_mismatch);
//  - the ballots and options are the package's, in order (tally.ballots_mismatch);
//  - the reconciliation lines hold and the appliance reported no failed check
//    (tally.does_not_reconcile, naming the ballot and the line);
//  - checkpoint.txt is a checkpoint signed by the registered key under the document's origin,
//    with the document's tree size and root (tally.bad_checkpoint).
// The key shipped in the directory is never trusted on its own.
//
// Pure apart from reading the directory; thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"
#include "crypto/sha256.h"
#include "protocol/protocol_document.h"
#include "tally/election_index.h"
#include "tally/registry.h"

namespace ballotbox::tally {

struct accepted_protocol {
    std::filesystem::path source;
    protocol::protocol_document document;
    crypto::digest bytes_sha256{};  // of protocol.json: equal bytes = the same protocol
};

struct verify_context {
    const election_index& election;
    const station_registry& registry;
};

// On failure the error's code says which check failed and its message what to do.
result<accepted_protocol> verify_export(const std::filesystem::path& dir,
                                        const verify_context& context);

// Same, from bytes already read (tests; the files of one export).
result<accepted_protocol> verify_export_bytes(const std::filesystem::path& source,
                                              std::string_view protocol_json,
                                              std::string_view signature,
                                              std::string_view public_key_pem,
                                              std::string_view checkpoint_note,
                                              const verify_context& context);

// The station id a protocol.json names (read leniently: any strict JSON with a valid
// station.id), for reporting a rejection; "" if there is none.
std::string station_named_in(std::string_view protocol_json);

}  // namespace ballotbox::tally
