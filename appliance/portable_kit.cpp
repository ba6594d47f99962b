#include "appliance/portable_kit.h"

#include <openssl/crypto.h>

#include <boost/json.hpp>

#include "appliance/state_files.h"
#include "common/bytes.h"
#include "common/canonical_json.h"

namespace ballotbox::appliance {
namespace {

error bad_kit(const std::string& why) {
    return make_error("appliance.bad_portable_kit",
                      "This is not a usable portable-box kit: " + why +
                          ". Make a new kit on the station's appliance (ballotbox portable-kit).");
}

}  // namespace

std::string serialize_portable_kit(const portable_kit& kit) {
    boost::json::object o{{"election_package_sha256", to_hex(kit.package_sha256)},
                          {"format", portable_kit_format},
                          {"mac_key", to_hex(kit.mac_key.view())},
                          {"station_id", kit.station_id}};
    auto text = canonical_json(o);
    std::string out = text ? std::move(*text) : std::string();
    auto& key = o["mac_key"].as_string();
    OPENSSL_cleanse(key.data(), key.size());
    return out;
}

result<portable_kit> parse_portable_kit(std::string_view text) {
    if (text.size() > max_portable_kit_bytes)
        return bad_kit("it is larger than " + std::to_string(max_portable_kit_bytes) + " bytes");
    auto parsed = parse_json_strict(text, max_portable_kit_bytes);
    if (!parsed)
        return bad_kit(parsed.err().message);
    if (!parsed->is_object())
        return bad_kit("it is not a JSON object");
    auto& o = parsed->as_object();
    for (const auto& member : o)
        if (member.key() != "election_package_sha256" && member.key() != "format" &&
            member.key() != "mac_key" && member.key() != "station_id")
            return bad_kit("it has an unknown member \"" + std::string(member.key()) + "\"");
    auto text_of = [&](const char* name) -> const boost::json::string* {
        const auto* v = o.if_contains(name);
        return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
    };
    const auto* format = text_of("format");
    if (format == nullptr || *format != portable_kit_format)
        return bad_kit("its format is not " + std::string(portable_kit_format));
    const auto* hash = text_of("election_package_sha256");
    auto hash_bytes = hash != nullptr ? from_hex(*hash) : result<bytes>(bad_kit(""));
    if (!hash_bytes || hash_bytes->size() != 32)
        return bad_kit("the election package hash is not 64 hex digits");
    const auto* station = text_of("station_id");
    if (station == nullptr || station->empty() || station->size() > 64)
        return bad_kit("the station id is missing or longer than 64 characters");
    auto* key_text = text_of("mac_key");
    auto key_bytes = key_text != nullptr ? from_hex(*key_text) : result<bytes>(bad_kit(""));
    if (key_text != nullptr)
        OPENSSL_cleanse(const_cast<char*>(key_text->data()), key_text->size());
    if (!key_bytes || key_bytes->size() != mac_key_size)
        return bad_kit("the MAC key is not " + std::to_string(mac_key_size * 2) + " hex digits");
    portable_kit kit;
    std::copy(hash_bytes->begin(), hash_bytes->end(), kit.package_sha256.begin());
    kit.station_id = std::string(*station);
    kit.mac_key = crypto::secret_bytes(*key_bytes);
    OPENSSL_cleanse(key_bytes->data(), key_bytes->size());
    return kit;
}

}  // namespace ballotbox::appliance
