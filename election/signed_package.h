// The signed election-package file: reading, verifying and (for tests and training)
// signing it.
//
// The file is JSON: {"package": {...}, "signature": {"algorithm": "ed25519",
// "key": "<base64 raw public key>", "value": "<base64 signature>"}}; the signature is over the
// RFC 8785 canonical JSON of "package". load_signed_package() refuses, each with its own
// error code and a message for the chair: a file that is not JSON or too large, an unsigned
// package, a signature by a key other than the trusted commission key, a signature that does
// not verify, a package of an unknown format, a malformed or incomplete package, a package for
// another station, impossible times. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "election/election_package.h"

namespace ballotbox::election {

struct load_options {
    // The appliance's own station id; when set, a package for another station is refused.
    std::optional<std::string> expected_station_id;
};

result<election_package> load_signed_package(std::string_view file_text,
                                             const crypto::ed25519_public_key& commission_key,
                                             const load_options& options = {});

result<election_package> load_signed_package_file(const std::filesystem::path& path,
                                                  const crypto::ed25519_public_key& commission_key,
                                                  const load_options& options = {});

// Validates an unsigned package document (the "package" member) and derives its fields.
result<election_package> parse_package(const boost::json::value& package);

// Signs a package document (validating it first) and returns the file text.
result<std::string> sign_package(const boost::json::value& package,
                                 const crypto::ed25519_private_key& commission_key);

}  // namespace ballotbox::election
