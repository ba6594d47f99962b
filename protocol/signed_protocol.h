// signed_protocol: a report signed by the appliance key, with everything the paper and the
// upload need: the canonical protocol.json bytes, their Ed25519 signature, the pinned
// checkpoint note and the QR texts.
//
// export_protocol() writes the export directory (docs/protocol-format.md):
//   protocol.json, protocol.json.sig (raw 64 bytes), appliance.pub.pem, checkpoint.txt,
//   protocol.nist.json
// each atomically (temporary file, fsync, rename, folder fsync); the directory is created if
// missing. A failure names the file; files already written stay (each one whole).
//
// Pure values; sign_report is thread-safe; export_protocol writes only inside dir.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "election/election_package.h"
#include "protocol/protocol_document.h"
#include "protocol/tally.h"

namespace ballotbox::protocol {

struct signed_protocol {
    protocol_document document;
    std::string json;  // canonical bytes of protocol.json
    crypto::ed25519_signature signature{};
    std::string checkpoint_note;
    std::vector<std::string> qr_texts;
};

// Errors: "protocol.wrong_key" (key is not the appliance key the ledger pins), and those of
// to_canonical_json / make_qr_texts.
result<signed_protocol> sign_report(const report& rep, const crypto::ed25519_private_key& key);

// Errors: "protocol.write_failed" (the folder cannot be made), "file.write_failed" (a file),
// "protocol.package_mismatch".
status export_protocol(const std::filesystem::path& dir, const signed_protocol& sp,
                       const election::election_package& package);

// The names of the files in an export directory.
inline constexpr const char* export_json = "protocol.json";
inline constexpr const char* export_sig = "protocol.json.sig";
inline constexpr const char* export_pub = "appliance.pub.pem";
inline constexpr const char* export_checkpoint = "checkpoint.txt";
inline constexpr const char* export_nist = "protocol.nist.json";

}  // namespace ballotbox::protocol
