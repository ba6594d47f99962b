#include "cardio/apdu.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "cardio/apdu_status.h"

using namespace ballotbox;
using namespace ballotbox::cardio;

namespace {

std::string encoded_hex(const command_apdu& c) {
    auto e = encode_command(c);
    REQUIRE(e.ok());
    return to_hex(*e);
}

}  // namespace

TEST_CASE("short command APDUs are encoded in the four ISO 7816-3 cases") {
    // Case 1: header only.
    CHECK(encoded_hex({.cla = 0x00, .ins = 0xA4, .p1 = 1, .p2 = 2, .data = {}, .le = 0}) ==
          "00a40102");
    // Case 2: Le only; 256 is encoded as 00.
    CHECK(encoded_hex({.cla = 0, .ins = 0xB0, .p1 = 0x12, .p2 = 0x34, .data = {}, .le = 1}) ==
          "00b0123401");
    CHECK(encoded_hex({.cla = 0, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 255}) ==
          "00b00000ff");
    CHECK(encoded_hex({.cla = 0, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 256}) ==
          "00b0000000");
    // Case 3: Lc and data.
    CHECK(
        encoded_hex({.cla = 0, .ins = 0xA4, .p1 = 2, .p2 = 0x0C, .data = {0xC1, 0x0B}, .le = 0}) ==
        "00a4020c02c10b");
    // Case 4: Lc, data and Le.
    CHECK(encoded_hex({.cla = 0, .ins = 0xA4, .p1 = 2, .p2 = 0, .data = {0xC1, 0x0B}, .le = 256}) ==
          "00a4020002c10b00");
}

TEST_CASE("command encoding enforces the short APDU bounds") {
    command_apdu c{.cla = 0, .ins = 0xD6, .p1 = 0, .p2 = 0, .data = bytes(255, 0xAA), .le = 0};
    auto max_lc = encode_command(c);
    REQUIRE(max_lc.ok());
    CHECK(max_lc->size() == 4 + 1 + 255);
    CHECK((*max_lc)[4] == 0xFF);

    c.data.push_back(0xAA);
    CHECK(encode_command(c).err().code == "card.apdu_data_too_long");

    command_apdu r{.cla = 0, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 257};
    CHECK(encode_command(r).err().code == "card.apdu_le_too_large");
    r.le = 100000;
    CHECK(encode_command(r).err().code == "card.apdu_le_too_large");
}

TEST_CASE("responses are split into data and status word within bounds") {
    CHECK(parse_response(bytes{}).err().code == "card.response_too_short");
    CHECK(parse_response(bytes{0x90}).err().code == "card.response_too_short");

    auto bare = parse_response(bytes{0x6A, 0x82});
    REQUIRE(bare.ok());
    CHECK(bare->data.empty());
    CHECK(bare->sw == 0x6A82);
    CHECK(bare->sw1() == 0x6A);
    CHECK(bare->sw2() == 0x82);

    bytes full(256, 0x5A);
    full.push_back(0x90);
    full.push_back(0x00);
    auto longest = parse_response(full);
    REQUIRE(longest.ok());
    CHECK(longest->data == bytes(256, 0x5A));
    CHECK(longest->sw == 0x9000);
    CHECK(encode_response(*longest) == full);

    full.insert(full.begin(), 0x00);
    CHECK(parse_response(full).err().code == "card.response_too_long");
}

TEST_CASE("named status words map to their ISO 7816-4 meaning") {
    struct expectation {
        std::uint16_t sw;
        const char* code;
    };
    const expectation table[] = {
        {0x6281, "card.data_corrupted"},
        {0x6282, "card.end_of_file"},
        {0x6283, "card.file_deactivated"},
        {0x6284, "card.file_control_invalid"},
        {0x6285, "card.warning"},
        {0x6300, "card.warning"},
        {0x6381, "card.file_filled_up"},
        {0x63C2, "card.verification_failed"},
        {0x6400, "card.execution_error"},
        {0x6581, "card.memory_failure"},
        {0x6500, "card.execution_error"},
        {0x6600, "card.security_error"},
        {0x6700, "card.wrong_length"},
        {0x6701, "card.wrong_length"},
        {0x6881, "card.logical_channel_not_supported"},
        {0x6882, "card.secure_messaging_not_supported"},
        {0x6884, "card.cla_function_not_supported"},
        {0x6981, "card.incompatible_file"},
        {0x6982, "card.security_not_satisfied"},
        {0x6983, "card.authentication_blocked"},
        {0x6984, "card.reference_data_unusable"},
        {0x6985, "card.conditions_not_satisfied"},
        {0x6986, "card.no_current_file"},
        {0x6987, "card.secure_messaging_error"},
        {0x6988, "card.secure_messaging_error"},
        {0x6900, "card.command_not_allowed"},
        {0x6A80, "card.incorrect_data"},
        {0x6A81, "card.function_not_supported"},
        {0x6A82, "card.file_not_found"},
        {0x6A83, "card.record_not_found"},
        {0x6A84, "card.not_enough_memory"},
        {0x6A85, "card.lc_inconsistent"},
        {0x6A86, "card.wrong_parameters"},
        {0x6A87, "card.lc_inconsistent"},
        {0x6A88, "card.data_not_found"},
        {0x6A89, "card.file_exists"},
        {0x6A8A, "card.file_exists"},
        {0x6A00, "card.wrong_parameters"},
        {0x6B00, "card.wrong_parameters"},
        {0x6C10, "card.wrong_le"},
        {0x6D00, "card.ins_not_supported"},
        {0x6E00, "card.cla_not_supported"},
        {0x6F00, "card.no_precise_diagnosis"},
        {0x6F12, "card.no_precise_diagnosis"},
        {0x6110, "card.response_pending"},
        {0x9001, "card.unexpected_status"},
        {0x9100, "card.unexpected_status"},
        {0x6000, "card.unexpected_status"},
        {0x0000, "card.unexpected_status"},
        {0xFFFF, "card.unexpected_status"},
    };
    for (const auto& e : table) {
        CAPTURE(e.sw);
        auto err = status_word_error(e.sw, "reading the ballot file");
        CHECK(err.code == e.code);
        CHECK(err.message.rfind("reading the ballot file: ", 0) == 0);
    }
}

TEST_CASE("every status word but 9000 is an error with a card code and its hex in the message") {
    CHECK(check_status_word(0x9000, "selecting").ok());
    std::set<std::string> codes;
    for (unsigned sw = 0; sw <= 0xFFFF; ++sw) {
        if (sw == 0x9000)
            continue;
        auto s = check_status_word(static_cast<std::uint16_t>(sw), "selecting");
        REQUIRE_FALSE(s.ok());
        const auto& e = s.err();
        REQUIRE(e.code.rfind("card.", 0) == 0);
        char hex[5];
        std::snprintf(hex, sizeof hex, "%04X", sw);
        REQUIRE(e.message.find(hex) != std::string::npos);
        // The message ends with what the poll worker should do.
        REQUIRE(e.message.find("card") != std::string::npos);
        codes.insert(e.code);
    }
    CHECK(codes.size() >= 30);  // each class and named condition keeps its own code
}
