// The card model, command by command: every status word it can answer.
#include "tools/cardsim/file_system_card.h"

#include <doctest/doctest.h>

#include "common/bytes.h"

using namespace ballotbox;
using namespace ballotbox::cardsim;

namespace {

bytes h(std::string_view hex) {
    return from_hex(hex).value();
}
std::string run(file_system_card& card, std::string_view apdu) {
    return to_hex(card.process(h(apdu)));
}

file_system_card two_file_card(card_options options = {}) {
    auto image = blank_card_image({{0x0B01, 300}, {0x0B02, 4}}).value();
    for (std::size_t i = 0; i < 300; ++i)
        image.files[0].content[i] = static_cast<uint8_t>(i);
    return file_system_card(std::move(image), options);
}

}  // namespace

TEST_CASE("SELECT by file id, with and without an FCP template") {
    auto card = two_file_card();
    CHECK(run(card, "00a4020c020b01") == "9000");
    CHECK(run(card, "00a4000c020b02") == "9000");
    CHECK(run(card, "00a40004020b0100") ==
          "620b82010183020b01800201"
          "2c9000");
    CHECK(run(card, "00a40000020b0200") == "620b82010183020b02800200049000");
    // The MF: by its id, or with no data at all.
    CHECK(run(card, "00a40004023f0000") == "620782013883023f009000");
    CHECK(run(card, "00a4000000") == "620782013883023f009000");
    CHECK(run(card, "00a4000c") == "9000");
    // Le too short for the template: 6Cxx names the right one.
    CHECK(run(card, "00a40004020b0105") == "6c0d");
}

TEST_CASE("SELECT errors: unknown file, bad parameters, bad lengths") {
    auto card = two_file_card();
    CHECK(run(card, "00a4020c020b03") == "6a82");
    CHECK(run(card, "00a4020c023f00") == "6a82");        // the MF is not an EF under the MF
    CHECK(run(card, "00a4040c05a000000001") == "6a82");  // no application names here
    CHECK(run(card, "00a4080c020b01") == "6a86");        // select by path: not supported
    CHECK(run(card, "00a40208020b01") == "6a86");        // P2: FMD not supported
    CHECK(run(card, "00a4020c010b") == "6700");          // a file id is two bytes
    CHECK(run(card, "00a4020c") == "6700");              // P1=02 needs a file id
    // A failed SELECT leaves the current EF as it was.
    CHECK(run(card, "00a4020c020b02") == "9000");
    CHECK(run(card, "00a4020c020bff") == "6a82");
    CHECK(run(card, "00b0000004") == "000000009000");
}

TEST_CASE("READ BINARY: offsets, Le, end of file and beyond") {
    auto card = two_file_card();
    CHECK(run(card, "00b0000004") == "6986");  // nothing selected yet
    CHECK(run(card, "00a4020c020b01") == "9000");
    CHECK(run(card, "00b0000004") == "000102039000");
    CHECK(run(card, "00b0010002") == "00019000");               // offset 256
    CHECK(run(card, "00b00128ff").substr(0, 8) == "28292a2b");  // offset 296: 4 bytes left
    CHECK(run(card, "00b0012810") == "28292a2b6282");           // end reached before Le bytes
    CHECK(run(card, "00b0012c01") == "6b00");                   // offset 300 = the EF's size
    CHECK(run(card, "00b07fff01") == "6b00");
    auto full = card.process(h("00b0000000"));  // Le 00 = 256 bytes
    REQUIRE(full.size() == 258);
    CHECK(full[255] == 0xff);
    CHECK(to_hex(byte_view(full).last(2)) == "9000");
    CHECK(run(card, "00b0000001020304") == "6700");  // data on a READ BINARY
    CHECK(run(card, "00b00000") == "6700");          // no Le
    CHECK(run(card, "00b0810001") == "6a82");        // short EF id: none on this card
}

TEST_CASE("UPDATE BINARY writes, bounds and lengths") {
    auto card = two_file_card();
    CHECK(run(card, "00d6000002aabb") == "6986");
    CHECK(run(card, "00a4020c020b02") == "9000");
    CHECK(run(card, "00d6000102aabb") == "9000");
    CHECK(run(card, "00b0000004") == "00aabb009000");
    CHECK(run(card, "00d6000302aabb") == "6a84");  // would run past the EF
    CHECK(run(card, "00d6000401aa") == "6b00");
    CHECK(run(card, "00d60000") == "6700");        // no data
    CHECK(run(card, "00d6000001aa00") == "6700");  // Le on an UPDATE BINARY
    CHECK(run(card, "00d6000003aabb") == "6700");  // Lc longer than the data
    CHECK(run(card, "00d600000001aa") == "6700");  // extended length: not supported
    CHECK(run(card, "00d6800001aa") == "6a82");
    CHECK(card.image().files[1].content == bytes{0x00, 0xaa, 0xbb, 0x00});
}

TEST_CASE("class, instruction and length errors") {
    auto card = two_file_card();
    CHECK(run(card, "80a4020c020b01") == "6e00");
    CHECK(run(card, "ffa4020c020b01") == "6e00");
    CHECK(run(card, "40a4020c020b01") == "6e00");
    CHECK(run(card, "10a4020c020b01") == "6884");
    CHECK(run(card, "0ca4020c020b01") == "6882");
    CHECK(run(card, "01a4020c020b01") == "6881");
    CHECK(run(card, "00ca000000") == "6d00");
    CHECK(run(card, "00b1000000") == "6d00");
    CHECK(run(card, "00a402") == "6700");
    CHECK(run(card, "") == "6700");
    CHECK(run(card, "00c0000000") == "6985");  // GET RESPONSE with nothing due
}

TEST_CASE("T=0 style: 61xx and GET RESPONSE, 6Cxx on a wrong Le") {
    auto card = two_file_card(card_options{.t0 = true});
    CHECK(card.atr() == bytes{0x3b, 0x00});
    CHECK(run(card, "00a40004020b01") == "610d");
    CHECK(run(card, "00c0000005") == "620b8201016108");  // part of it, 8 more due
    CHECK(run(card, "00c0000009") == "6c08");            // too many asked: exact count
    CHECK(run(card, "00c0000008") == "83020b018002012c9000");
    CHECK(run(card, "00c0000008") == "6985");  // nothing more due
    // Data waiting for GET RESPONSE is dropped by any other command.
    CHECK(run(card, "00a40004020b01") == "610d");
    CHECK(run(card, "00b0000001") == "009000");
    CHECK(run(card, "00c000000d") == "6985");
    CHECK(run(card, "00a40004020b01") == "610d");
    CHECK(run(card, "00c001000d") == "6a86");
    CHECK(run(card, "00c000000d") == "6985");
    // READ BINARY past the end: 6Cxx with the bytes there are, not 6282.
    CHECK(run(card, "00b0012810") == "6c04");
    CHECK(run(card, "00b0012804") == "28292a2b9000");
    CHECK(run(card, "00b0002d00") == "6cff");  // Le 00 asks 256, 255 there
    // Case 2 SELECT of the MF: the exact Le or 6Cxx.
    CHECK(run(card, "00a4000000") == "6c09");
    CHECK(run(card, "00a4000009") == "620782013883023f009000");
}

TEST_CASE("T=1 style offers T=1 in its ATR") {
    auto card = two_file_card();
    CHECK(to_hex(card.atr()) == "3b800181");
}

TEST_CASE("a torn UPDATE BINARY keeps only its first bytes and loses the selection") {
    auto card = two_file_card();
    CHECK_FALSE(card.update_length(h("00d6000002aabb")).has_value());  // nothing selected
    CHECK(run(card, "00a4020c020b02") == "9000");
    CHECK(card.update_length(h("00d6000003aabbcc")) == 3u);
    CHECK_FALSE(card.update_length(h("00d6000305aabbccddee")).has_value());  // would fail
    CHECK_FALSE(card.update_length(h("00b0000004")).has_value());
    card.tear_update(h("00d6000003aabbcc"), 2);
    CHECK(card.image().files[1].content == bytes{0xaa, 0xbb, 0x00, 0x00});
    CHECK(run(card, "00b0000004") == "6986");  // power lost: nothing selected
}

TEST_CASE("reset clears the selection and pending data") {
    auto card = two_file_card(card_options{.t0 = true});
    CHECK(run(card, "00a40004020b01") == "610d");
    card.reset();
    CHECK(run(card, "00c000000d") == "6985");
    CHECK(run(card, "00b0000001") == "6986");
}
