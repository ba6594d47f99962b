#include "ledger/bodies.h"

#include "ledger/canonical_json.h"

namespace ballotbox::ledger {
namespace {

result<crypto::digest> hex32(const boost::json::object& obj, const char* key, const char* code) {
    const auto* v = obj.if_contains(key);
    if (v == nullptr || !v->is_string())
        return make_error(code, std::string("field \"") + key + "\" is missing or not a string");
    auto raw = from_hex(std::string_view(v->get_string()));
    if (!raw || raw->size() != 32 || to_hex(*raw) != std::string_view(v->get_string()))
        return make_error(code,
                          std::string("field \"") + key + "\" is not 64 lower-case hex digits");
    crypto::digest d{};
    std::copy(raw->begin(), raw->end(), d.begin());
    return d;
}

result<std::int64_t> integer(const boost::json::object& obj, const char* key, const char* code) {
    const auto* v = obj.if_contains(key);
    if (v == nullptr || !(v->is_int64() || v->is_uint64()))
        return make_error(code, std::string("field \"") + key + "\" is missing or not an integer");
    if (v->is_uint64() && v->get_uint64() > static_cast<std::uint64_t>(INT64_MAX))
        return make_error(code, std::string("field \"") + key + "\" is out of range");
    return v->is_int64() ? v->get_int64() : static_cast<std::int64_t>(v->get_uint64());
}

status no_reserved(const boost::json::object& extra, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        if (extra.contains(k))
            return make_error("ledger.reserved_body_key",
                              std::string("the body field \"") + k + "\" is set by the ledger");
    return ok_status();
}

}  // namespace

status check_origin(std::string_view origin) {
    if (origin.empty() || origin.size() > 255)
        return make_error("ledger.bad_origin", "the checkpoint origin must be 1 to 255 characters");
    for (char c : origin)
        if (c < 0x21 || c > 0x7e || c == '+')
            return make_error("ledger.bad_origin",
                              "the checkpoint origin may hold only printable ASCII without "
                              "spaces or '+'");
    return ok_status();
}

result<std::string> make_genesis_body(const genesis_info& info) {
    BALLOTBOX_TRY(check_origin(info.origin));
    BALLOTBOX_TRY(no_reserved(
        info.extra, {"appliance_key", "election_package_sha256", "format_version", "origin"}));
    boost::json::object body = info.extra;
    body["appliance_key"] = to_hex(info.appliance_key);
    body["election_package_sha256"] = to_hex(info.election_package_sha256);
    body["format_version"] = 1;
    body["origin"] = info.origin;
    return to_canonical_json(body);
}

result<genesis_info> parse_genesis_body(std::string_view text) {
    auto obj = parse_canonical_json(text);
    if (!obj)
        return obj.err();
    genesis_info info;
    auto key = hex32(*obj, "appliance_key", "ledger.bad_genesis");
    if (!key)
        return key.err();
    std::copy(key->begin(), key->end(), info.appliance_key.begin());
    auto package = hex32(*obj, "election_package_sha256", "ledger.bad_genesis");
    if (!package)
        return package.err();
    info.election_package_sha256 = *package;
    auto version = integer(*obj, "format_version", "ledger.bad_genesis");
    if (!version)
        return version.err();
    if (*version != 1)
        return make_error("ledger.bad_genesis", "genesis format_version is not 1");
    const auto* origin = obj->if_contains("origin");
    if (origin == nullptr || !origin->is_string())
        return make_error("ledger.bad_genesis", "genesis has no origin string");
    info.origin = std::string(origin->get_string());
    if (auto s = check_origin(info.origin); !s)
        return make_error("ledger.bad_genesis", s.err().message);
    if (!crypto::ed25519_public_key::from_raw(info.appliance_key))
        return make_error("ledger.bad_genesis", "genesis appliance_key is not an Ed25519 key");
    for (const auto& kv : *obj) {
        auto k = std::string_view(kv.key());
        if (k != "appliance_key" && k != "election_package_sha256" && k != "format_version" &&
            k != "origin")
            info.extra.emplace(kv.key(), kv.value());
    }
    return info;
}

std::string make_cast_body(ballot_source source, std::int64_t window_start) {
    return "{\"source\":" + std::to_string(static_cast<int>(source)) +
           ",\"window_start\":" + std::to_string(window_start) + "}";
}

result<cast_body> parse_cast_body(std::string_view text) {
    auto obj = parse_canonical_json(text);
    if (!obj)
        return obj.err();
    if (obj->size() != 2)
        return make_error("ledger.bad_cast_body",
                          "a cast event body must hold exactly source and window_start");
    auto source = integer(*obj, "source", "ledger.bad_cast_body");
    if (!source)
        return source.err();
    if (*source != 0 && *source != 1)
        return make_error("ledger.bad_cast_body", "cast source must be 0 or 1");
    auto window = integer(*obj, "window_start", "ledger.bad_cast_body");
    if (!window)
        return window.err();
    return cast_body{static_cast<ballot_source>(*source), *window};
}

result<std::string> make_closing_body(const boost::json::object& extra, const crypto::digest& root,
                                      std::uint64_t box_size) {
    BALLOTBOX_TRY(no_reserved(extra, {"box_root", "box_size"}));
    boost::json::object body = extra;
    body["box_root"] = to_hex(root);
    body["box_size"] = box_size;
    return to_canonical_json(body);
}

result<closing_body> parse_closing_body(std::string_view text) {
    auto obj = parse_canonical_json(text);
    if (!obj)
        return obj.err();
    auto root = hex32(*obj, "box_root", "ledger.bad_closing_body");
    if (!root)
        return root.err();
    auto size = integer(*obj, "box_size", "ledger.bad_closing_body");
    if (!size)
        return size.err();
    if (*size < 0)
        return make_error("ledger.bad_closing_body", "box_size is negative");
    return closing_body{*root, static_cast<std::uint64_t>(*size)};
}

status check_rejection_body(const boost::json::object& body) {
    const auto* v = body.if_contains("reason");
    if (v == nullptr || !(v->is_int64() || v->is_uint64()))
        return make_error("ledger.bad_rejection_body",
                          "a rejected_card event must carry an integer \"reason\" code");
    return ok_status();
}

}  // namespace ballotbox::ledger
