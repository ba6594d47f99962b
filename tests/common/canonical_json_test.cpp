#include "common/canonical_json.h"

#include <doctest/doctest.h>

#include <boost/json.hpp>

using namespace ballotbox;

namespace {
std::string canon(std::string_view text) {
    auto v = parse_json_strict(text);
    REQUIRE(v.ok());
    auto c = canonical_json(*v);
    REQUIRE(c.ok());
    return *c;
}
}  // namespace

TEST_CASE("canonical JSON sorts members and drops whitespace") {
    CHECK(
        canon(R"({ "b": 1, "a": [true, null, "x"], "c": {"z": -5, "y": 18446744073709551615}})") ==
        R"({"a":[true,null,"x"],"b":1,"c":{"y":18446744073709551615,"z":-5}})");
}

TEST_CASE("canonical JSON escapes only what RFC 8785 requires") {
    CHECK(canon(R"(["\u0041\u00e9\u20ac\ud83d\ude00", "\"\\\/\b\f\n\r\t\u0001\u001f"])") ==
          "[\"A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\"]");
}

TEST_CASE("member names are ordered by UTF-16 code units, not UTF-8 bytes") {
    // U+FB33 (UTF-8 ef ac b3) sorts after U+1F600 (UTF-8 f0 9f 98 80) in UTF-16 (d83d < fb33),
    // but before it in UTF-8 bytes.
    CHECK(canon("{\"\xef\xac\xb3\":1,\"\xf0\x9f\x98\x80\":2}") ==
          "{\"\xf0\x9f\x98\x80\":2,\"\xef\xac\xb3\":1}");
    // RFC 8785 section 3.2.3's example names in their sorted order.
    CHECK(canon("{\"\\u20ac\":1,\"\\r\":2,\"\\ud83d\\ude00\":3,\"1\":4,\"\\u0080\":5,"
                "\"\\u00f6\":6,\"\\ufb33\":7}") ==
          "{\"\\r\":2,\"1\":4,\"\xc2\x80\":5,\"\xc3\xb6\":6,\"\xe2\x82\xac\":1,"
          "\"\xf0\x9f\x98\x80\":3,\"\xef\xac\xb3\":7}");
}

TEST_CASE("strict parsing refuses what would make two readings possible") {
    CHECK(parse_json_strict(R"({"a":1,"a":2})").err().code == "json.duplicate_member");
    CHECK(parse_json_strict(R"({"x":{"a":1,"b":{"a":3},"a":2}})").err().code ==
          "json.duplicate_member");
    CHECK(parse_json_strict(R"({"a":1.5})").err().code == "json.float_not_allowed");
    CHECK(parse_json_strict(R"({"a":1,})").err().code == "json.malformed");
    CHECK(parse_json_strict("{\"a\":\"\xff\"}").err().code == "json.malformed");
    CHECK(parse_json_strict(R"({"a":1} x)").err().code == "json.malformed");
    CHECK(parse_json_strict(std::string(100, ' '), 10).err().code == "json.too_large");
    std::string deep(100, '[');
    deep += std::string(100, ']');
    CHECK_FALSE(parse_json_strict(deep).ok());
    CHECK(parse_json_strict(R"({"a":{"b":1},"b":{"b":2}})").ok());
}
