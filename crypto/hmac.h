// HMAC-SHA256 over OpenSSL 3 (EVP_MAC). Keys are never copied beyond the call.
#pragma once

#include "common/bytes.h"
#include "crypto/sha256.h"

namespace ballotbox::crypto {

digest hmac_sha256(byte_view key, byte_view data);

// Constant-time check of a received tag against the HMAC of data.
bool hmac_sha256_verify(byte_view key, byte_view data, byte_view tag);

}  // namespace ballotbox::crypto
