#include "ledger/verify_bodies.h"

namespace ballotbox::ledger {
namespace {

constexpr std::size_t max_digits = 18;         // always within int64: Boost reads it as an integer
constexpr std::size_t max_body = 1024 * 1024;  // canonical_json.cpp's bound

// A cursor over the text that never reads past its end.
struct cursor {
    std::string_view text;
    std::size_t at = 0;
    bool eat(char c) {
        if (at < text.size() && text[at] == c) {
            ++at;
            return true;
        }
        return false;
    }
    bool eat(std::string_view word) {
        if (text.substr(at, word.size()) == word) {
            at += word.size();
            return true;
        }
        return false;
    }
    // A plain string: '"', printable ASCII without '"' or '\\', '"'. Returns its contents.
    std::optional<std::string_view> plain_string() {
        if (!eat('"'))
            return std::nullopt;
        std::size_t start = at;
        while (at < text.size()) {
            char c = text[at];
            if (c == '"') {
                ++at;
                return text.substr(start, at - 1 - start);
            }
            if (c < 0x20 || c > 0x7e || c == '\\')
                return std::nullopt;
            ++at;
        }
        return std::nullopt;
    }
    // A canonical integer of at most max_digits digits: 0, or -?[1-9][0-9]*.
    std::optional<std::int64_t> integer() {
        bool negative = eat('-');
        std::size_t start = at;
        std::int64_t value = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            if (at - start == max_digits)
                return std::nullopt;  // checked before the digit is added: no overflow
            value = value * 10 + (text[at] - '0');
            ++at;
        }
        std::size_t digits = at - start;
        if (digits == 0 || (digits > 1 && text[start] == '0') || (negative && value == 0))
            return std::nullopt;
        return negative ? -value : value;
    }
};

}  // namespace

bool is_flat_canonical_object(std::string_view text) {
    if (text.size() > max_body)
        return false;
    cursor c{text};
    if (!c.eat('{'))
        return false;
    if (c.eat('}'))
        return c.at == text.size();
    std::optional<std::string_view> previous;
    for (;;) {
        auto name = c.plain_string();
        if (!name || (previous && !(*previous < *name)) || !c.eat(':'))
            return false;
        previous = name;
        if (c.at >= text.size())
            return false;
        char first = text[c.at];
        bool value_ok = first == '"' ? c.plain_string().has_value()
                        : (first == '-' || (first >= '0' && first <= '9')) ? c.integer().has_value()
                        : first == 't'                                     ? c.eat("true")
                        : first == 'f'                                     ? c.eat("false")
                        : first == 'n'                                     ? c.eat("null")
                                                                           : false;
        if (!value_ok)
            return false;
        if (c.eat('}'))
            return c.at == text.size();
        if (!c.eat(','))
            return false;
    }
}

std::optional<cast_body> fast_cast_body(std::string_view text) {
    cursor c{text};
    if (!c.eat(R"({"source":)"))
        return std::nullopt;
    ballot_source source;
    if (c.eat('0'))
        source = ballot_source::stationary;
    else if (c.eat('1'))
        source = ballot_source::portable;
    else
        return std::nullopt;
    if (!c.eat(R"(,"window_start":)"))
        return std::nullopt;
    auto window = c.integer();
    if (!window || !c.eat('}') || c.at != text.size())
        return std::nullopt;
    return cast_body{source, *window};
}

}  // namespace ballotbox::ledger
