#include "common/bytes.h"

#include <array>

namespace ballotbox {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";
constexpr char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int b64_value(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

}  // namespace

std::string to_hex(byte_view data) {
    std::string out;
    out.reserve(data.size() * 2);
    for (auto b : data) {
        out.push_back(hex_digits[b >> 4]);
        out.push_back(hex_digits[b & 0x0f]);
    }
    return out;
}

result<bytes> from_hex(std::string_view text) {
    if (text.size() % 2 != 0)
        return make_error("encoding.hex_odd_length", "hex text has an odd number of digits");
    bytes out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        int hi = hex_value(text[i]);
        int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0)
            return make_error("encoding.hex_bad_digit",
                              "hex text has a character that is not a hex digit at offset " +
                                  std::to_string(hi < 0 ? i : i + 1));
        out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
    return out;
}

std::string to_base64(byte_view data) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        std::uint32_t v = data[i] << 16 | data[i + 1] << 8 | data[i + 2];
        out.push_back(b64_alphabet[v >> 18 & 63]);
        out.push_back(b64_alphabet[v >> 12 & 63]);
        out.push_back(b64_alphabet[v >> 6 & 63]);
        out.push_back(b64_alphabet[v & 63]);
    }
    std::size_t rest = data.size() - i;
    if (rest == 1) {
        std::uint32_t v = data[i] << 16;
        out.push_back(b64_alphabet[v >> 18 & 63]);
        out.push_back(b64_alphabet[v >> 12 & 63]);
        out += "==";
    } else if (rest == 2) {
        std::uint32_t v = data[i] << 16 | data[i + 1] << 8;
        out.push_back(b64_alphabet[v >> 18 & 63]);
        out.push_back(b64_alphabet[v >> 12 & 63]);
        out.push_back(b64_alphabet[v >> 6 & 63]);
        out.push_back('=');
    }
    return out;
}

result<bytes> from_base64(std::string_view text) {
    if (text.size() % 4 != 0)
        return make_error("encoding.base64_length", "base64 text length is not a multiple of 4");
    bytes out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        bool last = i + 4 == text.size();
        std::array<int, 4> v{};
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            char c = text[i + k];
            if (c == '=' && last && k >= 2) {
                v[k] = 0;
                ++pad;
                continue;
            }
            if (pad > 0 || (v[k] = b64_value(c)) < 0)
                return make_error(
                    "encoding.base64_bad_char",
                    "base64 text has an invalid character at offset " + std::to_string(i + k));
        }
        std::uint32_t w = v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
        if ((pad == 1 && (w & 0xff) != 0) || (pad == 2 && (w & 0xffff) != 0))
            return make_error("encoding.base64_noncanonical",
                              "base64 text has non-zero padding bits");
        out.push_back(static_cast<std::uint8_t>(w >> 16));
        if (pad < 2)
            out.push_back(static_cast<std::uint8_t>(w >> 8));
        if (pad < 1)
            out.push_back(static_cast<std::uint8_t>(w));
    }
    return out;
}

bool equal_constant_time(byte_view a, byte_view b) {
    if (a.size() != b.size())
        return false;
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= a[i] ^ b[i];
    return diff == 0;
}

}  // namespace ballotbox
