#include <doctest/doctest.h>

#include "crypto/random.h"
#include "tests/cardio/card_fixtures.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio::testing;

TEST_CASE("the issue MAC verifies with its key and with nothing else") {
    auto card = fixture_issued();
    CHECK(verify_issue_mac(fixture_mac_key(), card).ok());
    auto other_key = fixture_mac_key();
    other_key[31] ^= 0x01;
    CHECK(verify_issue_mac(other_key, card).err().code == "card.mac_mismatch");
    CHECK(verify_issue_mac(bytes(16, 0x00), card).err().code == "card.bad_mac_key");
    CHECK(compute_issue_mac(bytes(31, 0x00), card.issue).err().code == "card.bad_mac_key");
}

TEST_CASE("a prepared issue MAC key gives verify_issue_mac's verdicts") {
    CHECK(issue_mac_key::prepare(bytes(31, 0x00)).err().code == "card.bad_mac_key");
    auto key = issue_mac_key::prepare(fixture_mac_key());
    REQUIRE(key.ok());
    auto other = fixture_mac_key();
    other[0] ^= 0x01;
    auto other_key = issue_mac_key::prepare(other);
    REQUIRE(other_key.ok());
    auto card = fixture_issued();
    CHECK(key->verify(card).ok());
    CHECK(key->verify(card).ok());  // the prepared key is not used up
    CHECK(other_key->verify(card).err().code == "card.mac_mismatch");
    auto bad = card;
    bad.issue.token[3] ^= 0x10;
    CHECK(key->verify(bad).err().code == "card.mac_mismatch");
    bad = card;
    bad.mac[0] ^= 0x01;
    CHECK(key->verify(bad).err().code == "card.mac_mismatch");
    bad = card;
    bad.issue.style.clear();  // refused by the issued part's own checks, as verify_issue_mac does
    CHECK(key->verify(bad).err().code == verify_issue_mac(fixture_mac_key(), bad).err().code);
    CHECK_FALSE(key->verify(bad).err().code == "card.mac_mismatch");
}

TEST_CASE("the issue MAC covers every bit of the issued part") {
    auto card = fixture_issued();
    auto bad = card;
    bad.mac[5] ^= 0x80;
    CHECK(verify_issue_mac(fixture_mac_key(), bad).err().code == "card.mac_mismatch");
    for (std::size_t byte = 0; byte < 32; ++byte) {
        bad = card;
        bad.issue.election_id[byte] ^= 0x01;
        CHECK(verify_issue_mac(fixture_mac_key(), bad).err().code == "card.mac_mismatch");
    }
    for (std::size_t byte = 0; byte < token_size; ++byte) {
        bad = card;
        bad.issue.token[byte] ^= 0x10;
        CHECK(verify_issue_mac(fixture_mac_key(), bad).err().code == "card.mac_mismatch");
    }
    bad = card;
    bad.issue.station_id = "118";
    CHECK(verify_issue_mac(fixture_mac_key(), bad).err().code == "card.mac_mismatch");
    bad = card;
    bad.issue.style = {{0, 7}};  // "both ballots" turned into "party list only"
    CHECK(verify_issue_mac(fixture_mac_key(), bad).err().code == "card.mac_mismatch");
    bad = card;
    bad.issue.style[1].option_count = 17;
    CHECK(verify_issue_mac(fixture_mac_key(), bad).err().code == "card.mac_mismatch");
}

TEST_CASE("the booth signature verifies with the booth key and breaks on any change") {
    auto card = fixture_voted();
    auto key = fixture_booth_key();
    CHECK(card.booth == booth_key_id_of(key.public_key()));
    CHECK(verify_booth_signature(card, key.public_key()).ok());

    crypto::seeded_random rng(99);
    auto other = crypto::ed25519_private_key::generate(rng);
    CHECK(verify_booth_signature(card, other.public_key()).err().code == "card.booth_key_mismatch");
    auto forged = sign_as_booth(other, card.issued, card.choices).value();
    forged.booth = card.booth;  // claims to be the known booth
    CHECK(verify_booth_signature(forged, key.public_key()).err().code ==
          "card.bad_booth_signature");

    auto bad = card;
    bad.signature[63] ^= 0x01;
    CHECK(verify_booth_signature(bad, key.public_key()).err().code == "card.bad_booth_signature");
    bad = card;
    bad.choices[0] = ballot_choice::for_option(3);
    CHECK(verify_booth_signature(bad, key.public_key()).err().code == "card.bad_booth_signature");
    bad = card;
    bad.choices[1] = ballot_choice::left_blank();
    CHECK(verify_booth_signature(bad, key.public_key()).err().code == "card.bad_booth_signature");
    bad = card;
    bad.issued.mac[0] ^= 0x01;  // the signature covers the appliance's MAC too
    CHECK(verify_booth_signature(bad, key.public_key()).err().code == "card.bad_booth_signature");
    bad = card;
    bad.issued.issue.token[0] ^= 0x01;
    CHECK(verify_booth_signature(bad, key.public_key()).err().code == "card.bad_booth_signature");
}

TEST_CASE("the booth signs exactly the record bytes before the signature, domain-separated") {
    auto card = fixture_voted();
    auto record = encoded(card);
    auto message = booth_signed_bytes(card).value();
    const std::string domain = "ballotbox/card-vote-sig/v1";
    REQUIRE(message.size() == domain.size() + record.size() - card_checksum_size - 64);
    CHECK(std::string(message.begin(), message.begin() + domain.size()) == domain);
    CHECK(std::equal(message.begin() + domain.size(), message.end(), record.begin()));
    // the signature sits right after the signed bytes in the record
    CHECK(std::equal(card.signature.begin(), card.signature.end(),
                     record.begin() + (message.size() - domain.size())));
    CHECK(fixture_booth_key().public_key().verify(message, card.signature));
}

TEST_CASE("signing refuses choices that do not fit the card's style") {
    auto key = fixture_booth_key();
    CHECK(sign_as_booth(key, fixture_issued(), {ballot_choice::left_blank()}).err().code ==
          "card.choice_count_mismatch");
    CHECK(sign_as_booth(key, fixture_issued(),
                        {ballot_choice::for_option(7), ballot_choice::left_blank()})
              .err()
              .code == "card.choice_out_of_range");
}
