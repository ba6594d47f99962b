#include "cardio/booth_signature.h"

#include <string_view>

#include "cardio/card_codec.h"

namespace ballotbox::cardio {
namespace {

constexpr std::string_view signature_domain = "ballotbox/card-vote-sig/v1";

}  // namespace

booth_key_id booth_key_id_of(const crypto::ed25519_public_key& key) {
    return crypto::sha256(key.raw());
}

result<bytes> booth_signed_bytes(const voted_card& card) {
    auto record = encode_card_record(card);
    if (!record)
        return record.err();
    auto end = record->size() - card_checksum_size - sizeof(crypto::ed25519_signature);
    bytes message = to_bytes(signature_domain);
    message.insert(message.end(), record->begin(), record->begin() + end);
    return message;
}

result<voted_card> sign_as_booth(const crypto::ed25519_private_key& booth,
                                 const issued_card& issued,
                                 const std::vector<ballot_choice>& choices) {
    voted_card card{issued, choices, booth_key_id_of(booth.public_key()), {}};
    auto message = booth_signed_bytes(card);
    if (!message)
        return message.err();
    card.signature = booth.sign(*message);
    return card;
}

status verify_booth_signature(const voted_card& card, const crypto::ed25519_public_key& booth) {
    if (card.booth != booth_key_id_of(booth))
        return make_error("card.booth_key_mismatch",
                          "The card was signed by a different booth terminal than the one "
                          "checked. Look the booth key up by the card's booth id.");
    auto message = booth_signed_bytes(card);
    if (!message)
        return message.err();
    if (!booth.verify(*message, card.signature))
        return make_error("card.bad_booth_signature",
                          "The booth's signature on this card does not verify: the card was "
                          "altered after the booth wrote it. Do not accept the ballot; call the "
                          "chair.");
    return ok_status();
}

}  // namespace ballotbox::cardio
