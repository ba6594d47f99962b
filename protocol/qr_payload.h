// qr_payload: the signed result in the compact form the printed QR codes carry
// (docs/protocol-format.md, "QR codes").
//
// The payload is a compact binary (unsigned LEB128 integers, length-prefixed strings) of the
// figures, the ledger pin, the SHA-256 of protocol.json and the appliance key, followed by
// an Ed25519 signature by the appliance key over "ballotbox/protocol-qr/v1" 0x00 || the
// bytes before it. Its base64url (no padding) is cut into parts, each printed as one code:
//     BBP1:<part>/<parts>:<chunk>
// open_qr_texts() takes the decoded texts in any order, checks that they form one complete
// set, decodes strictly (never past the bytes given; trailing bytes refused) and verifies
// the signature against the key the payload names. The caller compares that key with the
// one it trusts (registry, printed fingerprint, export dir).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "protocol/protocol_document.h"

namespace ballotbox::protocol {

inline constexpr std::string_view qr_prefix = "BBP1:";
inline constexpr std::size_t default_qr_chunk = 400;  // base64url characters per code

// What a set of QR codes vouches for: the document's figures (option ids, region, event
// time and portable-box state are not carried: they stay empty / default), and the hash of
// the protocol.json it was made with.
struct qr_contents {
    protocol_document document;
    crypto::digest protocol_sha256{};
};

// Errors: "protocol.bad_value" (a field too long for the compact form).
result<std::vector<std::string>> make_qr_texts(const protocol_document& doc,
                                               std::string_view protocol_json,
                                               const crypto::ed25519_private_key& key,
                                               std::size_t chunk = default_qr_chunk);

// Errors: "protocol.qr_no_codes", "protocol.qr_bad_prefix", "protocol.qr_bad_part",
// "protocol.qr_parts_mismatch", "protocol.qr_duplicate_part", "protocol.qr_missing_part",
// "protocol.qr_bad_base64", "protocol.qr_truncated", "protocol.qr_bad_field",
// "protocol.qr_trailing_bytes", "protocol.qr_bad_signature".
result<qr_contents> open_qr_texts(const std::vector<std::string>& texts);

// The short digest printed under the codes: the first 16 hex characters of SHA-256 of
// protocol.json in groups of 4, e.g. "3fa1 c2d4 0b9e 11aa".
std::string short_digest(std::string_view protocol_json);

}  // namespace ballotbox::protocol
