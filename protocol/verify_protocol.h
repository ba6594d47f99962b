// verify_protocol: checks an exported protocol directory or the texts of its QR codes, and
// says what it vouches for or exactly what is wrong.
//
// verify_export_dir() checks, in order: every file is there and small; protocol.json is
// canonical and well-formed; appliance.pub.pem is the key the document names (and the
// trusted key, when one is given); the signature verifies (the same check as the stock
// openssl command); checkpoint.txt is a checkpoint signed by that key under the document's
// origin, with the document's tree size, root and key id; protocol.nist.json carries the
// same vote counts; the carried checks are the ones the figures give. Any of these failing
// is an error. Reconciliation failures of an authentic document are not errors: they are
// returned in `failures` (the document says them too) and make the verdict "not reconciled".
//
// verify_qr() does the same for the texts of the printed codes (signature by the key the
// codes name, which must be the trusted key when given; checks recomputed).
//
// run_verify_protocol() is the command line (`ballotbox verify-protocol ...`), see
// verify_usage; exit status 0 = authentic and reconciled, 1 = something is wrong, 2 = usage.
//
// Thread safety: the functions are independent; they only read files.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "protocol/protocol_document.h"
#include "protocol/reconciliation.h"

namespace ballotbox::protocol {

struct verified_protocol {
    protocol_document document;
    std::string short_digest;            // of protocol.json
    std::vector<failed_check> failures;  // reconciliation, in words
    bool reconciled() const { return failures.empty(); }
};

// Errors: "protocol.missing_file", "protocol.too_large", "protocol.cannot_read", the
// parse_protocol_json codes, "protocol.key_mismatch", "protocol.untrusted_key",
// "protocol.bad_signature",
// "protocol.checkpoint_invalid", "protocol.checkpoint_mismatch", "protocol.nist_mismatch",
// "protocol.checks_misstated".
result<verified_protocol> verify_export_dir(
    const std::filesystem::path& dir,
    const std::optional<crypto::ed25519_raw_public_key>& trusted_key = std::nullopt);

// Errors: the open_qr_texts codes, "protocol.untrusted_key", "protocol.checks_misstated".
result<verified_protocol> verify_qr(
    const std::vector<std::string>& texts,
    const std::optional<crypto::ed25519_raw_public_key>& trusted_key = std::nullopt);

// The figures in words, one line each, for the terminal.
std::string describe(const verified_protocol& v);

extern const char* const verify_usage;
// args exclude the program name, e.g. {"/media/usb/protocol"} or {"--qr", "codes.txt"}.
int run_verify_protocol(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ballotbox::protocol
