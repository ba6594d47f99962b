// cancel_token: the token of a cancel event's body, read in place for flat canonical bodies
// and by the full canonical-JSON parse otherwise. Both ways must give the same answer, so
// every case below is one the reader could take either way, or that only one of them takes.
#include <doctest/doctest.h>

#include <cctype>

#include "audit/audit_context.h"
#include "common/bytes.h"

using namespace ballotbox;
using ballotbox::audit::detail::cancel_token;

namespace {

const std::string hex = "dfac5392cd2d04d533bd31e6d3632e8f";

std::optional<std::string> token_hex(std::string_view body) {
    auto t = cancel_token(body);
    if (!t)
        return std::nullopt;
    return to_hex(byte_view(t->data(), t->size()));
}

}  // namespace

TEST_CASE("cancel_token reads the token of a flat body as the appliance writes it") {
    CHECK(token_hex(R"({"reason":"confirmed","token":")" + hex + R"("})") == hex);
    CHECK(token_hex(R"({"token":")" + hex + R"("})") == hex);
    CHECK(token_hex(R"({"at":5,"token":")" + hex + R"(","voter":null})") == hex);
}

TEST_CASE("cancel_token takes upper-case digits as the full parse does") {
    std::string upper = hex;
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(token_hex(R"({"token":")" + upper + R"("})") == hex);
}

TEST_CASE("cancel_token is not fooled by the word token in a value") {
    CHECK(token_hex(R"({"a":"token","token":")" + hex + R"("})") == hex);
    CHECK_FALSE(cancel_token(R"({"reason":"token"})"));
    CHECK_FALSE(cancel_token(R"({"reason":"\"token\":\")" + hex + R"("})"));
}

TEST_CASE("cancel_token gives nothing for a token of the wrong length or digits") {
    CHECK_FALSE(cancel_token(R"({"token":")" + hex.substr(1) + R"("})"));
    CHECK_FALSE(cancel_token(R"({"token":")" + hex + R"(00"})"));
    CHECK_FALSE(cancel_token(R"({"token":")" + hex.substr(0, 31) + R"(g"})"));
    CHECK_FALSE(cancel_token(R"({"token":""})"));
    CHECK_FALSE(cancel_token(R"({"token":12})"));
    CHECK_FALSE(cancel_token(R"({"token":null})"));
    CHECK_FALSE(cancel_token(R"({"reason":"confirmed"})"));
}

TEST_CASE("cancel_token leaves non-canonical and non-flat bodies to the full parse") {
    // Members out of order, or spaces: not canonical, so no token either way.
    CHECK_FALSE(cancel_token(R"({"token":")" + hex + R"(","reason":"confirmed"})"));
    CHECK_FALSE(cancel_token(R"({"token": ")" + hex + R"("})"));
    // Canonical but not flat (a nested value): the full parse finds the token.
    CHECK(token_hex(R"({"extra":{"a":1},"token":")" + hex + R"("})") == hex);
    // The token member inside a nested object is not the body's token.
    CHECK_FALSE(cancel_token(R"({"extra":{"token":")" + hex + R"("}})"));
    CHECK_FALSE(cancel_token("not json"));
    CHECK_FALSE(cancel_token(""));
}
