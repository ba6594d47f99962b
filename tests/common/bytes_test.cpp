#include "common/bytes.h"

#include <doctest/doctest.h>

using namespace ballotbox;

TEST_CASE("hex round trip and strict decoding") {
    bytes data{0x00, 0x01, 0xab, 0xff};
    CHECK(to_hex(data) == "0001abff");
    CHECK(*from_hex("0001ABff") == data);
    CHECK(from_hex("abc").err().code == "encoding.hex_odd_length");
    CHECK(from_hex("0g").err().code == "encoding.hex_bad_digit");
}

TEST_CASE("base64 matches RFC 4648 test vectors") {
    const char* vectors[][2] = {{"", ""},
                                {"f", "Zg=="},
                                {"fo", "Zm8="},
                                {"foo", "Zm9v"},
                                {"foob", "Zm9vYg=="},
                                {"fooba", "Zm9vYmE="},
                                {"foobar", "Zm9vYmFy"}};
    for (auto& v : vectors) {
        CHECK(to_base64(as_bytes(v[0])) == v[1]);
        auto back = from_base64(v[1]);
        REQUIRE(back.ok());
        CHECK(as_chars(*back) == v[0]);
    }
}

TEST_CASE("base64 rejects non-canonical and malformed text") {
    CHECK(from_base64("Zg=").err().code == "encoding.base64_length");
    CHECK(from_base64("Zh==").err().code == "encoding.base64_noncanonical");
    CHECK(from_base64("Zm9=").err().code == "encoding.base64_noncanonical");
    CHECK(from_base64("Z===").err().code == "encoding.base64_bad_char");
    CHECK(from_base64("Zg==Zg==").err().code == "encoding.base64_bad_char");
    CHECK(from_base64("Zm9v\n").err().code == "encoding.base64_length");
    CHECK(from_base64("Zm-v").err().code == "encoding.base64_bad_char");
}

TEST_CASE("constant-time equality") {
    bytes a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, d{1, 2};
    CHECK(equal_constant_time(a, b));
    CHECK_FALSE(equal_constant_time(a, c));
    CHECK_FALSE(equal_constant_time(a, d));
}

TEST_CASE("result carries a value or an error") {
    result<int> good = 5;
    result<int> bad = make_error("x.y", "why");
    CHECK(good.ok());
    CHECK(*good == 5);
    CHECK_FALSE(bad.ok());
    CHECK(bad.err().code == "x.y");
    auto propagate = [&]() -> status {
        BALLOTBOX_TRY(bad);
        return ok_status();
    };
    CHECK(propagate().err().message == "why");
}
