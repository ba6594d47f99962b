// Fixed inputs and records for the card-record tests, the test vectors of
// docs/card-format.md and the fuzz corpus generator: the same values everywhere, so the
// document, the corpus and the tests cannot drift apart.
//
// Everything is deterministic (fixed keys, fixed token); none of it is ever a real key.
#pragma once

#include <cstdint>
#include <vector>

#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "cardio/card_record.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace ballotbox::cardio::testing {

// 00 01 02 ... (n bytes from `first`)
inline bytes counting_bytes(std::uint8_t first, std::size_t n) {
    bytes out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<std::uint8_t>(first + i);
    return out;
}

inline bytes fixture_mac_key() {
    return counting_bytes(0x00, 32);
}
inline bytes fixture_booth_seed() {
    return counting_bytes(0x20, 32);
}
inline crypto::ed25519_private_key fixture_booth_key() {
    return crypto::ed25519_private_key::from_seed(fixture_booth_seed()).value();
}
inline crypto::digest fixture_election_id() {
    return crypto::sha256(as_bytes("ballotbox example election package"));
}

// Both ballots of the Mäjilis election: party list (7 parties), district (16 candidates).
inline issue_data fixture_issue() {
    issue_data issue;
    issue.election_id = fixture_election_id();
    issue.station_id = "119";
    issue.style = {{0, 7}, {1, 16}};
    auto token = counting_bytes(0xa0, token_size);
    std::copy(token.begin(), token.end(), issue.token.begin());
    return issue;
}

// The party list only.
inline issue_data fixture_issue_party_list_only() {
    auto issue = fixture_issue();
    issue.style = {{0, 7}};
    return issue;
}

inline issued_card fixture_issued(const issue_data& issue = fixture_issue()) {
    return make_issued_card(fixture_mac_key(), issue).value();
}

// Party number 3 in ballot order (index 2) and "against all" in the district.
inline voted_card fixture_voted() {
    return sign_as_booth(fixture_booth_key(), fixture_issued(),
                         {ballot_choice::for_option(2), ballot_choice::against_all()})
        .value();
}

// Party list only, left blank.
inline voted_card fixture_voted_blank_ballot() {
    return sign_as_booth(fixture_booth_key(), fixture_issued(fixture_issue_party_list_only()),
                         {ballot_choice::left_blank()})
        .value();
}

inline bytes encoded(const card_record& record) {
    return encode_card_record(record).value();
}

// A record with this header and body, ending with the right checksum (for malformed cases
// that must get past the checksum to reach the check they test).
inline bytes seal(std::uint8_t state, const bytes& body, std::uint8_t version = 1) {
    bytes out;
    out.reserve(card_header_size + body.size() + card_checksum_size);
    for (std::uint8_t b :
         {std::uint8_t{'B'}, std::uint8_t{'B'}, std::uint8_t{'c'}, std::uint8_t{'r'}, version,
          state, static_cast<std::uint8_t>(body.size() >> 8),
          static_cast<std::uint8_t>(body.size() & 0xff)})
        out.push_back(b);
    out.insert(out.end(), body.begin(), body.end());
    auto sum = card_record_checksum(out);
    out.insert(out.end(), sum.begin(), sum.end());
    return out;
}

// The body of an encoded record (between header and checksum).
inline bytes body_of(const bytes& record) {
    return bytes(record.begin() + card_header_size, record.end() - card_checksum_size);
}

}  // namespace ballotbox::cardio::testing
