#include "ledger/canonical_json.h"

#include "common/canonical_json.h"

namespace ballotbox::ledger {

namespace {
constexpr std::size_t max_body_bytes = 1024 * 1024;
}

result<std::string> to_canonical_json(const boost::json::value& value) {
    auto text = canonical_json(value);
    if (!text)
        return make_error("ledger.body_not_canonical",
                          "the event body cannot be put in canonical form: " + text.err().message);
    return text;
}

result<boost::json::object> parse_canonical_json(std::string_view text) {
    auto v = parse_json_strict(text, max_body_bytes);
    if (!v)
        return make_error("ledger.body_not_json",
                          "the event body is not acceptable JSON: " + v.err().message);
    if (!v->is_object())
        return make_error("ledger.body_not_object", "the event body is not a JSON object");
    auto canonical = canonical_json(*v);
    if (!canonical || *canonical != text)
        return make_error("ledger.body_not_canonical",
                          "the event body is JSON but not in canonical form (sorted keys, no "
                          "whitespace, integers only)");
    return std::move(v->get_object());
}

}  // namespace ballotbox::ledger
