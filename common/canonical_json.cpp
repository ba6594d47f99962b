#include "common/canonical_json.h"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <vector>

namespace ballotbox {
namespace {

// UTF-16 code units of a UTF-8 string, for ordering member names as RFC 8785 3.2.3 does.
std::u16string utf16_units(std::string_view s) {
    std::u16string out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::uint32_t cp;
        int extra;
        if (c < 0x80) {
            cp = c;
            extra = 0;
        } else if ((c & 0xe0) == 0xc0) {
            cp = c & 0x1f;
            extra = 1;
        } else if ((c & 0xf0) == 0xe0) {
            cp = c & 0x0f;
            extra = 2;
        } else {
            cp = c & 0x07;
            extra = 3;
        }
        ++i;
        for (int k = 0; k < extra && i < s.size(); ++k, ++i)
            cp = cp << 6 | (static_cast<unsigned char>(s[i]) & 0x3f);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
            out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
    }
    return out;
}

void write_string(std::string& out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (char ch : s) {
        unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out.push_back(hex[c >> 4]);
                    out.push_back(hex[c & 0xf]);
                } else {
                    out.push_back(ch);
                }
        }
    }
    out.push_back('"');
}

status write_value(std::string& out, const boost::json::value& v, int depth) {
    if (depth > 64)
        return make_error("json.too_deep", "the JSON document is nested more than 64 levels");
    switch (v.kind()) {
        case boost::json::kind::null:
            out += "null";
            return ok_status();
        case boost::json::kind::bool_:
            out += v.get_bool() ? "true" : "false";
            return ok_status();
        case boost::json::kind::int64:
            out += std::to_string(v.get_int64());
            return ok_status();
        case boost::json::kind::uint64:
            out += std::to_string(v.get_uint64());
            return ok_status();
        case boost::json::kind::double_:
            return make_error("json.float_not_allowed",
                              "the JSON document has a fractional number; only integers are "
                              "allowed");
        case boost::json::kind::string:
            write_string(out, v.get_string());
            return ok_status();
        case boost::json::kind::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& item : v.get_array()) {
                if (!first)
                    out.push_back(',');
                first = false;
                BALLOTBOX_TRY(write_value(out, item, depth + 1));
            }
            out.push_back(']');
            return ok_status();
        }
        case boost::json::kind::object: {
            const auto& obj = v.get_object();
            std::vector<std::pair<std::u16string, const boost::json::key_value_pair*>> members;
            members.reserve(obj.size());
            for (const auto& kv : obj)
                members.emplace_back(utf16_units(kv.key()), &kv);
            std::sort(members.begin(), members.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            out.push_back('{');
            for (std::size_t i = 0; i < members.size(); ++i) {
                if (i > 0)
                    out.push_back(',');
                if (i > 0 && members[i].first == members[i - 1].first)
                    return make_error("json.duplicate_member",
                                      "the JSON object has the member \"" +
                                          std::string(members[i].second->key()) + "\" twice");
                write_string(out, members[i].second->key());
                out.push_back(':');
                BALLOTBOX_TRY(write_value(out, members[i].second->value(), depth + 1));
            }
            out.push_back('}');
            return ok_status();
        }
    }
    return make_error("json.unknown_kind", "unknown JSON value kind");
}

// Boost.JSON (1.81) silently keeps one of two members with the same name; a hostile document
// could then show one value to a person and another to us. This handler runs Boost's own
// tokenizer once more and records member names per object to find duplicates.
struct duplicate_key_finder {
    constexpr static std::size_t max_object_size = std::size_t(-1);
    constexpr static std::size_t max_array_size = std::size_t(-1);
    constexpr static std::size_t max_key_size = std::size_t(-1);
    constexpr static std::size_t max_string_size = std::size_t(-1);

    std::vector<std::vector<std::string>> objects;
    std::string key;
    bool duplicate = false;

    using ec_t = boost::system::error_code;
    bool on_document_begin(ec_t&) { return true; }
    bool on_document_end(ec_t&) { return true; }
    bool on_object_begin(ec_t&) {
        objects.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t, ec_t&) {
        auto& keys = objects.back();
        std::sort(keys.begin(), keys.end());
        if (std::adjacent_find(keys.begin(), keys.end()) != keys.end())
            duplicate = true;
        objects.pop_back();
        return true;
    }
    bool on_array_begin(ec_t&) { return true; }
    bool on_array_end(std::size_t, ec_t&) { return true; }
    bool on_key_part(std::string_view s, std::size_t, ec_t&) {
        key.append(s);
        return true;
    }
    bool on_key(std::string_view s, std::size_t, ec_t&) {
        key.append(s);
        objects.back().push_back(std::move(key));
        key.clear();
        return true;
    }
    bool on_string_part(std::string_view, std::size_t, ec_t&) { return true; }
    bool on_string(std::string_view, std::size_t, ec_t&) { return true; }
    bool on_number_part(std::string_view, ec_t&) { return true; }
    bool on_int64(std::int64_t, std::string_view, ec_t&) { return true; }
    bool on_uint64(std::uint64_t, std::string_view, ec_t&) { return true; }
    bool on_double(double, std::string_view, ec_t&) { return true; }
    bool on_bool(bool, ec_t&) { return true; }
    bool on_null(ec_t&) { return true; }
    bool on_comment_part(std::string_view, ec_t&) { return true; }
    bool on_comment(std::string_view, ec_t&) { return true; }
};

bool has_duplicate_members(std::string_view text, const boost::json::parse_options& options) {
    boost::json::basic_parser<duplicate_key_finder> parser(options);
    boost::system::error_code ec;
    parser.write_some(false, text.data(), text.size(), ec);
    return ec || parser.handler().duplicate;
}

}  // namespace

result<std::string> canonical_json(const boost::json::value& value) {
    std::string out;
    BALLOTBOX_TRY(write_value(out, value, 0));
    return out;
}

result<boost::json::value> parse_json_strict(std::string_view text, std::size_t max_bytes) {
    if (text.size() > max_bytes)
        return make_error("json.too_large", "the JSON document is larger than " +
                                                std::to_string(max_bytes) + " bytes");
    boost::json::parse_options options;
    options.max_depth = 64;
    options.allow_comments = false;
    options.allow_trailing_commas = false;
    options.allow_invalid_utf8 = false;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec, {}, options);
    if (ec)
        return make_error("json.malformed", "the JSON document is malformed: " + ec.message());
    if (has_duplicate_members(text, options))
        return make_error("json.duplicate_member", "the JSON document repeats a member name");
    std::string ignored;
    auto check = write_value(ignored, v, 0);  // refuses fractional numbers
    if (!check)
        return check.err();
    return v;
}

}  // namespace ballotbox
