// The virtual booth over the card model (no pcscd): checks the activation, writes a signed
// vote in cardio's torn-write-safe order, refuses what it must.
#include "tools/cardsim/booth.h"

#include <doctest/doctest.h>

#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "crypto/random.h"
#include "tools/cardsim/faulty_card.h"

using namespace ballotbox;
using namespace ballotbox::cardsim;

namespace {

// The card model as a card_transport, with a fault plan.
struct model_transport final : cardio::card_transport {
    faulty_card card;
    bool gone = false;
    explicit model_transport(card_image image, fault_plan plan = {})
        : card(file_system_card(std::move(image)), plan) {}
    result<bytes> transmit(byte_view apdu) override {
        if (gone)
            return cardio::card_removed_error();
        auto r = card.on_command(apdu);
        if (r.what != card_reply::kind::answer) {
            gone = true;
            return cardio::card_removed_error();
        }
        return r.apdu;
    }
};

const bytes mac_key(32, 0x5a);

cardio::issue_data issue() {
    cardio::issue_data d;
    d.election_id.fill(0x11);
    d.station_id = "KZ-ALM-0001";
    d.style = {{0, 8}, {1, 16}};
    d.token.fill(0x42);
    return d;
}

card_image with_record(const cardio::card_record& record) {
    return card_image_with_record(cardio::encode_card_record(record).value()).value();
}

booth_request request(std::vector<cardio::ballot_choice> choices) {
    booth_request r;
    r.election_id.fill(0x11);
    r.station_id = "KZ-ALM-0001";
    r.choices = std::move(choices);
    return r;
}

crypto::ed25519_private_key booth_key() {
    crypto::seeded_random random(7);
    return crypto::ed25519_private_key::generate(random);
}

}  // namespace

TEST_CASE("booth: an issued card gets the choices and a booth signature that verifies") {
    const auto issued = cardio::make_issued_card(mac_key, issue()).value();
    model_transport t(with_record(issued));
    const auto key = booth_key();
    const std::vector choices{cardio::ballot_choice::for_option(3),
                              cardio::ballot_choice::against_all()};
    auto voted = mark_ballot(t, key, request(choices));
    REQUIRE_MESSAGE(voted.ok(), (voted.ok() ? "" : voted.err().message));
    auto on_card = cardio::parse_card_image(t.card.card().image().files[0].content);
    REQUIRE(on_card.ok());
    REQUIRE(std::holds_alternative<cardio::voted_card>(*on_card));
    const auto& v = std::get<cardio::voted_card>(*on_card);
    CHECK(v == *voted);
    CHECK(v.issued == issued);
    CHECK(v.choices == choices);
    CHECK(cardio::verify_booth_signature(v, key.public_key()).ok());
    CHECK(cardio::verify_issue_mac(mac_key, v.issued).ok());
}

TEST_CASE("booth: refuses blank, voted, foreign and mis-chosen cards, leaving them as they are") {
    const auto key = booth_key();
    const auto issued = cardio::make_issued_card(mac_key, issue()).value();
    const std::vector two{cardio::ballot_choice::left_blank(), cardio::ballot_choice::left_blank()};
    auto code = [&](card_image image, booth_request r) {
        model_transport t(image);
        auto v = mark_ballot(t, key, r);
        CHECK(t.card.card().image() == image);
        return v.ok() ? std::string("ok") : v.err().code;
    };
    CHECK(code(with_record(cardio::blank_card{}), request(two)) == "cardsim.booth_card_blank");
    const auto voted = cardio::sign_as_booth(key, issued, two).value();
    CHECK(code(with_record(voted), request(two)) == "cardsim.booth_already_voted");
    auto other = request(two);
    other.election_id.fill(0x22);
    CHECK(code(with_record(issued), other) == "cardsim.booth_wrong_election");
    other = request(two);
    other.station_id = "KZ-ALM-0002";
    CHECK(code(with_record(issued), other) == "cardsim.booth_wrong_station");
    CHECK(code(with_record(issued), request({cardio::ballot_choice::left_blank()})) ==
          "cardsim.booth_choice_count");
    CHECK(code(with_record(issued), request({cardio::ballot_choice::for_option(8),
                                             cardio::ballot_choice::left_blank()})) ==
          "cardsim.booth_choice_out_of_range");
    // A card that never held a record: cardio's parser says why.
    CHECK(code(blank_card_image(default_layout()).value(), request(two)).rfind("card.", 0) == 0);
}

TEST_CASE("booth: a vote torn at any written byte is never read back as a record") {
    const auto key = booth_key();
    const auto issued = cardio::make_issued_card(mac_key, issue()).value();
    const std::vector choices{cardio::ballot_choice::for_option(1),
                              cardio::ballot_choice::for_option(15)};
    // The untorn write, to know how many bytes it writes.
    model_transport full(with_record(issued));
    REQUIRE(mark_ballot(full, key, request(choices)).ok());
    const auto voted_bytes =
        cardio::encode_card_record(std::get<cardio::voted_card>(*cardio::parse_card_image(
                                       full.card.card().image().files[0].content)))
            .value();
    // The plan writes the record plus the opening byte 0 (issued is shorter than voted, so
    // no stale bytes to clear): every k below that total tears the write.
    const std::size_t total = voted_bytes.size() + 1;
    for (std::size_t k = 0; k <= total; ++k) {
        CAPTURE(k);
        model_transport t(with_record(issued), {.tear_after_bytes = k});
        const bool done = mark_ballot(t, key, request(choices)).ok();
        CHECK(done == (k == total));
        auto after = cardio::parse_card_image(t.card.card().image().files[0].content);
        if (done) {
            CHECK(std::holds_alternative<cardio::voted_card>(*after));
        } else if (k == 0) {
            CHECK(std::holds_alternative<cardio::issued_card>(*after));  // nothing written
        } else {
            REQUIRE_FALSE(after.ok());
            CHECK(after.err().code == "card.torn_write");
        }
    }
}

TEST_CASE("booth: choices parse strictly") {
    CHECK(parse_choice("0").value() == cardio::ballot_choice::for_option(0));
    CHECK(parse_choice("15").value() == cardio::ballot_choice::for_option(15));
    CHECK(parse_choice("against-all").value() == cardio::ballot_choice::against_all());
    CHECK(parse_choice("blank").value() == cardio::ballot_choice::left_blank());
    for (const char* bad : {"", "-1", "1x", "255", "Blank", " 1"})
        CHECK(parse_choice(bad).err().code == "cardsim.booth_bad_choice");
}
