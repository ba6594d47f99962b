// The registry's strict parser (docs/tally-registry.md).
#include "tally/registry.h"

#include <doctest/doctest.h>

#include "common/bytes.h"
#include "crypto/random.h"

using namespace ballotbox;
using namespace ballotbox::tally;

namespace {
std::string key_hex(std::uint64_t seed) {
    crypto::seeded_random r(seed);
    return to_hex(crypto::ed25519_private_key::generate(r).public_key().raw());
}
std::string code(std::string_view text) {
    auto r = station_registry::parse(text);
    return r ? std::string("ok") : r.err().code;
}
}  // namespace

TEST_CASE("a registry round-trips and finds its stations") {
    crypto::seeded_random r(5);
    auto k = crypto::ed25519_private_key::generate(r);
    auto text = format_registry(
        {{"astana-0001", k.public_key().raw()}, {"station-00002", k.public_key().raw()}});
    CHECK(text.rfind("ballotbox/tally-registry/1\nastana-0001 ", 0) == 0);
    auto reg = station_registry::parse(text);
    REQUIRE(reg.ok());
    CHECK(reg->size() == 2);
    REQUIRE(reg->find("astana-0001") != nullptr);
    CHECK(*reg->find("astana-0001") == k.public_key());
    CHECK(reg->find("astana-0003") == nullptr);
}

TEST_CASE("each malformed registry has its own error") {
    const auto h = std::string(registry_format) + "\n";
    const auto k = key_hex(1);
    CHECK(code(h + "s1 " + k + "\n") == "ok");
    CHECK(code("") == "registry.bad_header");
    CHECK(code("ballotbox/tally-registry/2\n") == "registry.bad_header");
    CHECK(code(h + "s1 " + k) == "registry.no_final_newline");
    CHECK(code(h + "s1  " + k + "\n") == "registry.bad_line");
    CHECK(code(h + "s1 " + k + " x\n") == "registry.bad_line");
    CHECK(code(h + "\n") == "registry.bad_line");
    CHECK(code(h + "S1 " + k + "\n") == "registry.bad_station_id");
    CHECK(code(h + std::string(65, 'a') + " " + k + "\n") == "registry.bad_station_id");
    CHECK(code(h + "s1 " + k.substr(2) + "\n") == "registry.bad_key");
    std::string upper = k;
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != k)
        CHECK(code(h + "s1 " + upper + "\n") == "registry.bad_key");
    CHECK(code(h + "s1 " + k + "\r\n") == "registry.bad_key");
    CHECK(code(h + "s1 " + k + "\ns1 " + key_hex(2) + "\n") == "registry.duplicate_station");
    CHECK(code(std::string(max_registry_bytes + 1, 'x')) == "registry.too_large");
}
