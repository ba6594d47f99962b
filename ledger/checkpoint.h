// Checkpoints in the C2SP tlog-checkpoint form, signed as C2SP signed notes with Ed25519.
//
// A checkpoint's note text is
//     <origin>\n<tree size in decimal>\n<base64 root hash>\n[<extension line>\n]...
// and a signed note is that text, an empty line, and one or more signature lines
//     \u2014 <key name> <base64(4-byte key id || 64-byte Ed25519 signature)>\n
// The key id is the first 4 bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte public key)
// (C2SP signed-note, algorithm 0x01 = Ed25519). The signature is over the note text alone.
// Verifier keys are written "<name>+<hex key id>+<base64(0x01 || public key)>".
//
// Parsers are strict (they accept exactly what the spec allows and no more) and never read
// past their input; each malformed input has its own error code. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace ballotbox::ledger {

// Parser limits: a larger note or checkpoint text, or more signature lines, is refused.
inline constexpr std::size_t max_note_size = 1 << 20;
inline constexpr std::size_t max_note_signatures = 100;

struct checkpoint {
    std::string origin;  // e.g. "ballotbox.kz/kz-2023-majilis/station/010001/device/3fa1c2d4"
    std::uint64_t tree_size = 0;
    crypto::digest root{};
    std::vector<std::string> extensions;  // optional extra lines, each non-empty

    std::string note_text() const;  // the exact signed text, ending in '\n'
    friend bool operator==(const checkpoint&, const checkpoint&) = default;
};

result<checkpoint> parse_checkpoint(std::string_view note_text);

// The origin (and key name) convention, see docs/checkpoint-format.md:
// "ballotbox.kz/<election id>/station/<station id>/device/<hex of SHA-256(device key)[:4]>".
// Ids are 1..64 of [A-Za-z0-9._-]; anything else is ledger.checkpoint_origin_bad_component.
result<std::string> checkpoint_origin(std::string_view election_id, std::string_view station_id,
                                      const crypto::ed25519_public_key& device_key);

struct note_signature {
    std::string key_name;
    std::uint32_t key_id = 0;
    bytes signature;  // 64 bytes for Ed25519
};

struct signed_note {
    std::string text;  // note text, ending in '\n'
    std::vector<note_signature> signatures;

    std::string serialize() const;
};

result<signed_note> parse_signed_note(std::string_view serialized);

// A key name is valid if it is non-empty UTF-8 with no Unicode space, control character or '+'.
bool note_key_name_valid(std::string_view key_name);

std::uint32_t note_key_id(std::string_view key_name, const crypto::ed25519_public_key& key);
std::string note_verifier_key(std::string_view key_name, const crypto::ed25519_public_key& key);

struct note_verifier {
    std::string key_name;
    crypto::ed25519_public_key key;
};
result<note_verifier> parse_note_verifier_key(std::string_view vkey);

// Signs a note text with one key, giving a signed note with one signature line. The caller
// passes a text that ends in '\n' and a valid key name (see note_key_name_valid); otherwise
// the serialized note will not parse.
signed_note sign_note(std::string text, std::string_view key_name,
                      const crypto::ed25519_private_key& key);

// Verifies that the note carries a valid signature by this verifier (other signatures, by
// keys it does not know, are ignored as C2SP requires). Errors: no signature by this key,
// a signature by this key id that does not verify.
status verify_note(const signed_note& note, const note_verifier& verifier);

// Convenience: sign a checkpoint / parse + verify a signed checkpoint.
std::string sign_checkpoint(const checkpoint& cp, std::string_view key_name,
                            const crypto::ed25519_private_key& key);
result<checkpoint> open_signed_checkpoint(std::string_view serialized,
                                          const note_verifier& verifier);

}  // namespace ballotbox::ledger
