// state_files: the files of the appliance's state directory other than the ledger — the
// package copy, the appliance key, the issue-MAC key and its commitment, the turnout exports.
// They are written with common/atomic_file.h (temporary file in the same folder, fsync,
// rename, fsync of the folder), so a crash leaves either the old file or the new one, never
// half, and read with common/read_file.h's bounded read.
//
// Secrets: the MAC key is read into crypto::secret_bytes (wiped on destruction) and written
// with mode 0600. Functions are stateless; thread-safe on distinct paths.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/atomic_file.h"
#include "common/bytes.h"
#include "common/random.h"
#include "common/read_file.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "crypto/secret_bytes.h"

namespace ballotbox::appliance {

inline constexpr std::string_view package_file_name = "package.json";
inline constexpr std::string_view appliance_key_file_name = "appliance.pem";
inline constexpr std::string_view mac_key_file_name = "mac.key";
inline constexpr std::string_view ledger_file_name = "ledger.sqlite";
inline constexpr std::string_view exports_dir_name = "exports";
inline constexpr std::size_t mac_key_size = 32;

// The state files are written and read with the common functions (errors "file.*"); they are
// named here too so that the daemon's appliance:: callers keep working.
using ballotbox::read_small_file;
using ballotbox::write_file_atomically;

// The directory exists with mode 0700 (created if missing). Errors: "appliance.state_dir".
status ensure_private_dir(const std::filesystem::path& dir);

// Loads appliance.pem if present, else generates and saves it (0600).
result<crypto::ed25519_private_key> load_or_make_appliance_key(const std::filesystem::path& dir,
                                                               random_source& random);
result<crypto::ed25519_private_key> load_appliance_key(const std::filesystem::path& dir);

// A fresh MAC key, written to mac.key (0600, replacing a leftover of a failed setup).
result<crypto::secret_bytes> make_mac_key(const std::filesystem::path& dir, random_source& random);
// Errors: the read_small_file codes ("file.*"), "appliance.bad_mac_key" (not exactly 32
// bytes).
result<crypto::secret_bytes> load_mac_key(const std::filesystem::path& dir);

// hex SHA-256("ballotbox/mac-key-commitment/v1" || 0x00 || key): pinned in genesis.
std::string mac_key_commitment(byte_view key);

}  // namespace ballotbox::appliance
