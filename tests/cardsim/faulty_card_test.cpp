// The fault modes of one insertion, without sockets: tear, vanish, malformed answers.
#include "tools/cardsim/faulty_card.h"

#include <doctest/doctest.h>

#include "common/bytes.h"
#include "tools/cardsim/vpcd.h"

using namespace ballotbox;
using namespace ballotbox::cardsim;

namespace {

bytes h(std::string_view hex) {
    return from_hex(hex).value();
}

faulty_card make(fault_plan plan) {
    return faulty_card(file_system_card(blank_card_image({{0x0B01, 8}}).value()), plan);
}

std::string answer(faulty_card& card, std::string_view apdu) {
    auto r = card.on_command(h(apdu));
    if (r.what == card_reply::kind::vanish)
        return "vanish";
    if (r.what == card_reply::kind::torn)
        return "torn";
    return to_hex(r.apdu);
}

}  // namespace

TEST_CASE("no faults: answers as the card model") {
    auto card = make({});
    CHECK(answer(card, "00a4020c020b01") == "9000");
    CHECK(answer(card, "00d6000002aabb") == "9000");
    CHECK(answer(card, "00b0000002") == "aabb9000");
    CHECK(card.commands() == 3);
}

TEST_CASE("a tear at every byte offset of a two-chunk write keeps exactly the bytes before it") {
    for (std::size_t k = 0; k <= 6; ++k) {
        CAPTURE(k);
        auto card = make({.tear_after_bytes = k});
        CHECK(answer(card, "00a4020c020b01") == "9000");
        const bool first_torn = k < 4;
        CHECK(answer(card, "00d6000004a1a2a3a4") == (first_torn ? "torn" : "9000"));
        if (!first_torn)
            CHECK(answer(card, "00d6000402b5b6") == (k < 6 ? "torn" : "9000"));
        bytes expected{0xa1, 0xa2, 0xa3, 0xa4, 0xb5, 0xb6, 0, 0};
        std::fill(expected.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(k, 6)),
                  expected.begin() + 6, 0);
        CHECK(card.card().image().files[0].content == expected);
    }
}

TEST_CASE("tear_before_answer: an update that ends at byte K is written in full, then torn") {
    for (std::size_t k = 0; k <= 6; ++k) {
        CAPTURE(k);
        auto card = make({.tear_after_bytes = k, .tear_before_answer = true});
        CHECK(answer(card, "00a4020c020b01") == "9000");
        // The first update carries bytes 1..4, the second 5..6.
        const bool first_torn = k <= 4;
        CHECK(answer(card, "00d6000004a1a2a3a4") == (first_torn ? "torn" : "9000"));
        if (!first_torn)
            CHECK(answer(card, "00d6000402b5b6") == "torn");
        bytes expected{0xa1, 0xa2, 0xa3, 0xa4, 0xb5, 0xb6, 0, 0};
        std::fill(expected.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(k, 6)),
                  expected.begin() + 6, 0);
        CHECK(card.card().image().files[0].content == expected);
    }
    // Past the last byte of the write nothing is torn.
    auto card = make({.tear_after_bytes = 7, .tear_before_answer = true});
    CHECK(answer(card, "00a4020c020b01") == "9000");
    CHECK(answer(card, "00d6000004a1a2a3a4") == "9000");
    CHECK(answer(card, "00d6000402b5b6") == "9000");
}

TEST_CASE("a failing UPDATE BINARY is answered, not torn, and uses none of the budget") {
    auto card = make({.tear_after_bytes = 2});
    CHECK(answer(card, "00d6000002aabb") == "6986");  // nothing selected
    CHECK(answer(card, "00a4020c020b01") == "9000");
    CHECK(answer(card, "00d6000702aabb") == "6a84");
    CHECK(answer(card, "00d6000002aabb") == "9000");
    CHECK(answer(card, "00d6000201cc") == "torn");
}

TEST_CASE("vanish on the Nth command, without carrying it out") {
    auto card = make({.vanish_on_command = 3});
    CHECK(answer(card, "00a4020c020b01") == "9000");
    CHECK(answer(card, "00b0000001") == "009000");
    CHECK(answer(card, "00d6000001ff") == "vanish");
    CHECK(card.card().image().files[0].content[0] == 0);
    // A new insertion counts again.
    card.inserted();
    CHECK(answer(card, "00a4020c020b01") == "9000");
}

TEST_CASE("malformed answers: a single byte, or no status word, from command N") {
    auto one = make({.malformed = malformed_kind::single_byte, .malformed_from = 2});
    CHECK(answer(one, "00a4020c020b01") == "9000");
    CHECK(answer(one, "00b0000002") == "00");
    auto bare = make({.malformed = malformed_kind::no_status_word});
    CHECK(answer(bare, "00a4020c020b01") == "90");  // a bare SW becomes one byte
    CHECK(answer(bare, "00d6000002abcd") == "90");
    CHECK(answer(bare, "00b0000003") == "abcd00");
}

TEST_CASE("vpcd framing: 2-byte big-endian length, then the payload") {
    CHECK(to_hex(*vpcd::frame(h("9000"))) == "00029000");
    CHECK(to_hex(*vpcd::frame({})) == "0000");
    CHECK(vpcd::frame(bytes(0x10000, 0)) == std::nullopt);
    CHECK(vpcd::frame(bytes(0xFFFF, 0))->size() == 0x10001);
    CHECK(vpcd::message_length(0x01, 0x02) == 258);
    CHECK(vpcd::reader_port(0) == 35963);
    CHECK(vpcd::reader_port(1) == 35964);
}
