#include "election/json_fields.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

namespace ballotbox::election {

json_fields::json_fields(const boost::json::value& value, std::string path, std::string error_code)
    : value_(value), path_(std::move(path)), error_code_(std::move(error_code)) {}

error json_fields::fail(std::string_view key, const std::string& what) const {
    std::string where = path_;
    if (!key.empty())
        where += "." + std::string(key);
    return make_error(error_code_, where + ": " + what);
}

status json_fields::only_members(std::initializer_list<std::string_view> allowed) const {
    if (!value_.is_object())
        return fail("", "expected an object");
    for (const auto& kv : value_.get_object()) {
        bool known = false;
        for (auto a : allowed)
            known = known || kv.key() == a;
        if (!known)
            return fail(kv.key(), "unknown member");
    }
    return ok_status();
}

bool json_fields::has(std::string_view key) const {
    return value_.is_object() && value_.get_object().contains(key);
}

result<const boost::json::value*> json_fields::member(std::string_view key) const {
    if (!value_.is_object())
        return fail("", "expected an object");
    auto* v = value_.get_object().if_contains(key);
    if (!v)
        return fail(key, "missing");
    return v;
}

result<json_fields> json_fields::object(std::string_view key) const {
    auto v = member(key);
    if (!v)
        return v.err();
    if (!(*v)->is_object())
        return fail(key, "expected an object");
    return json_fields(**v, path_ + "." + std::string(key), error_code_);
}

result<const boost::json::array*> json_fields::array(std::string_view key, std::size_t min_size,
                                                     std::size_t max_size) const {
    auto v = member(key);
    if (!v)
        return v.err();
    if (!(*v)->is_array())
        return fail(key, "expected an array");
    const auto& a = (*v)->get_array();
    if (a.size() < min_size || a.size() > max_size)
        return fail(key, "expected " + std::to_string(min_size) + " to " +
                             std::to_string(max_size) + " elements, found " +
                             std::to_string(a.size()));
    return &a;
}

result<std::string> json_fields::string(std::string_view key, std::size_t max_bytes) const {
    auto v = member(key);
    if (!v)
        return v.err();
    if (!(*v)->is_string())
        return fail(key, "expected a string");
    const auto& s = (*v)->get_string();
    if (s.size() > max_bytes)
        return fail(key, "longer than " + std::to_string(max_bytes) + " bytes");
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f)
            return fail(key, "contains a control character");
    return std::string(s);
}

result<std::string> json_fields::identifier(std::string_view key) const {
    auto s = string(key, 64);
    if (!s)
        return s.err();
    bool good = !s->empty() && s->front() != '-';
    for (char c : *s)
        good = good && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    if (!good)
        return fail(key, "expected 1 to 64 of a-z, 0-9 and '-', not starting with '-'");
    return s;
}

result<std::int64_t> json_fields::integer(std::string_view key, std::int64_t min,
                                          std::int64_t max) const {
    auto v = member(key);
    if (!v)
        return v.err();
    std::int64_t n;
    if ((*v)->is_int64()) {
        n = (*v)->get_int64();
    } else if ((*v)->is_uint64() && (*v)->get_uint64() <= std::uint64_t(INT64_MAX)) {
        n = static_cast<std::int64_t>((*v)->get_uint64());
    } else if ((*v)->is_uint64()) {
        return fail(key, "out of range");
    } else {
        return fail(key, "expected an integer");
    }
    if (n < min || n > max)
        return fail(key, "expected " + std::to_string(min) + " to " + std::to_string(max) +
                             ", found " + std::to_string(n));
    return n;
}

result<bool> json_fields::boolean(std::string_view key) const {
    auto v = member(key);
    if (!v)
        return v.err();
    if (!(*v)->is_bool())
        return fail(key, "expected true or false");
    return (*v)->get_bool();
}

json_fields json_fields::element(std::string_view array_key, const boost::json::value& v,
                                 std::size_t index) const {
    return json_fields(v, path_ + "." + std::string(array_key) + "[" + std::to_string(index) + "]",
                       error_code_);
}

}  // namespace ballotbox::election
