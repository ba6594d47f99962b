// The booth terminal's Ed25519 signature over a voted card.
//
//   signed message = "ballotbox/card-vote-sig/v1" || record bytes before the signature
//
// "Record bytes before the signature" are the encoded voted record (card_codec.h) from its
// header up to and including the booth key id: the header (state voted, final length), the
// issued part with the appliance's MAC, the choices and the booth key id. The booth key id
// is SHA-256 of the booth's raw 32-byte public key, so the appliance can find the key in
// the election package.
//
// sign_as_booth is what the ballot-marking terminal does (the card simulator and tests use
// it); the appliance only verifies. Keys are owned by the caller. Safe from any thread.
#pragma once

#include "cardio/card_record.h"
#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"

namespace ballotbox::cardio {

booth_key_id booth_key_id_of(const crypto::ed25519_public_key& key);

// The exact message the booth signs for this card (its signature field is ignored). Fails
// with the encoder's field errors.
result<bytes> booth_signed_bytes(const voted_card& card);

// The voted card for `issued` with these choices (one per race of its style), signed.
result<voted_card> sign_as_booth(const crypto::ed25519_private_key& booth,
                                 const issued_card& issued,
                                 const std::vector<ballot_choice>& choices);

// card.booth_key_mismatch if the card names another booth key; card.bad_booth_signature if
// the signature does not verify (card altered after the booth signed it, or forged).
status verify_booth_signature(const voted_card& card, const crypto::ed25519_public_key& booth);

}  // namespace ballotbox::cardio
