// The appliance's MAC over a card's activation (the issued part).
//
//   mac = HMAC-SHA256(key, "ballotbox/card-issue-mac/v1" || version (1 byte) || issued part)
//
// where the issued part is encode_issue_data's bytes (card_fields.h). Only the appliance
// holds the key (at least 32 bytes; callers keep it in crypto::secret_bytes and pass its
// view); this code never copies it outside OpenSSL's HMAC contexts, which hold it for one
// call, or for an issue_mac_key's lifetime, and are wiped when freed (crypto/hmac.h). The
// parser does not check the MAC: the appliance calls verify_issue_mac when a voted card
// comes back.
//
// Pure functions; safe from any thread. issue_mac_key is the key prepared once for checking
// many cards (the audit's issue_macs step): one thread at a time uses one, and threads that
// share the work each take a copy (crypto/hmac.h).
#pragma once

#include "cardio/card_record.h"
#include "common/bytes.h"
#include "common/result.h"
#include "crypto/hmac.h"

namespace ballotbox::cardio {

inline constexpr std::size_t min_issue_mac_key_size = 32;

// Fails with card.bad_mac_key for a key shorter than min_issue_mac_key_size, or with the
// field errors of check_issue_data.
result<crypto::digest> compute_issue_mac(byte_view key, const issue_data& issue);

// The activation to write on a blank card: issue plus its MAC.
result<issued_card> make_issued_card(byte_view key, const issue_data& issue);

// card.mac_mismatch if the card's MAC is not this key's MAC over its issued part (a card
// activated elsewhere, or altered after issue).
status verify_issue_mac(byte_view key, const issued_card& card);

class issue_mac_key {
  public:
    // card.bad_mac_key for a key shorter than min_issue_mac_key_size.
    static result<issue_mac_key> prepare(byte_view key);

    // The verdicts of verify_issue_mac with this key.
    status verify(const issued_card& card);

  private:
    explicit issue_mac_key(byte_view key) : key_(key) {}
    crypto::hmac_sha256_key key_;
};

}  // namespace ballotbox::cardio
