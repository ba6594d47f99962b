#include "cardio/card_io_wire.h"

#include <string>

namespace ballotbox::cardio::card_io_wire {
namespace {

constexpr std::uint8_t kind_open = 'R';
constexpr std::uint8_t kind_transmit = 'T';
constexpr std::uint8_t kind_close = 'C';
constexpr std::uint8_t kind_opened = 'O';
constexpr std::uint8_t kind_answer = 'A';
constexpr std::uint8_t kind_failed = 'E';
constexpr std::uint8_t kind_closed = 'D';

error garbled(const std::string& what) {
    return make_error("card.io_process_garbled",
                      "the card I/O process sent " + what +
                          " (program error): take the card out and insert it again");
}

bool valid_code(const std::string& code) {
    if (code.size() < 6 || code.size() > 64 || code.compare(0, 5, "card.") != 0)
        return false;
    for (char c : code)
        if (!((c >= 'a' && c <= 'z') || c == '_' || c == '.'))
            return false;
    return true;
}

bool valid_message(const std::string& message) {
    if (message.empty() || message.size() > 1024)
        return false;
    for (unsigned char c : message)
        if (c < 0x20 || c == 0x7f)
            return false;
    return true;
}

bytes with_kind(std::uint8_t kind, byte_view payload = {}) {
    bytes out;
    out.reserve(1 + payload.size());
    out.push_back(kind);
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

}  // namespace

bytes encode(const request& r) {
    if (const auto* o = std::get_if<open_request>(&r))
        return with_kind(kind_open, as_bytes(o->reader));
    if (const auto* t = std::get_if<transmit_request>(&r))
        return with_kind(kind_transmit, t->apdu);
    return with_kind(kind_close);
}

bytes encode(const reply& r) {
    if (const auto* o = std::get_if<opened>(&r))
        return bytes{kind_opened, static_cast<std::uint8_t>(o->t0 ? 0x00 : 0x01)};
    if (const auto* a = std::get_if<answer>(&r))
        return with_kind(kind_answer, a->apdu);
    if (const auto* f = std::get_if<failed>(&r)) {
        // Keep what cannot be sent within bounds rather than lose the whole error.
        std::string code = valid_code(f->problem.code) ? f->problem.code : "card.pcsc_error";
        std::string message = f->problem.message.substr(0, 1024);
        for (auto& c : message)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                c = ' ';
        if (message.empty())
            message = "no message";
        bytes out = with_kind(kind_failed);
        out.insert(out.end(), code.begin(), code.end());
        out.push_back(0x00);
        out.insert(out.end(), message.begin(), message.end());
        return out;
    }
    return with_kind(kind_closed);
}

result<request> parse_request(byte_view m) {
    if (m.empty())
        return garbled("an empty request");
    if (m[0] == kind_open) {
        std::string reader(m.begin() + 1, m.end());
        if (reader.empty() || reader.size() > max_reader_name)
            return garbled("an open request with a reader name of " +
                           std::to_string(reader.size()) + " bytes");
        for (unsigned char c : reader)
            if (c < 0x20 || c == 0x7f)
                return garbled("an open request with a control character in the reader name");
        return request{open_request{std::move(reader)}};
    }
    if (m[0] == kind_transmit) {
        if (m.size() < 1 + 4 || m.size() > 1 + max_apdu)
            return garbled("a transmit request of " + std::to_string(m.size()) + " bytes");
        return request{transmit_request{bytes(m.begin() + 1, m.end())}};
    }
    if (m[0] == kind_close) {
        if (m.size() != 1)
            return garbled("a close request with trailing bytes");
        return request{close_request{}};
    }
    return garbled("an unknown request kind");
}

result<reply> parse_reply(byte_view m) {
    if (m.empty())
        return garbled("an empty reply");
    switch (m[0]) {
        case kind_opened:
            if (m.size() != 2 || m[1] > 0x01)
                return garbled("a malformed open reply");
            return reply{opened{m[1] == 0x00}};
        case kind_answer:
            if (m.size() > 1 + max_answer)
                return garbled("an answer of " + std::to_string(m.size() - 1) + " bytes");
            return reply{answer{bytes(m.begin() + 1, m.end())}};
        case kind_failed: {
            std::size_t nul = 1;
            while (nul < m.size() && m[nul] != 0x00)
                ++nul;
            if (nul == m.size())
                return garbled("an error without its message");
            std::string code(m.begin() + 1, m.begin() + static_cast<std::ptrdiff_t>(nul));
            std::string message(m.begin() + static_cast<std::ptrdiff_t>(nul) + 1, m.end());
            if (!valid_code(code))
                return garbled("an error with a malformed code");
            if (!valid_message(message))
                return garbled("an error with a malformed message");
            return reply{failed{make_error(std::move(code), std::move(message))}};
        }
        case kind_closed:
            if (m.size() != 1)
                return garbled("a close reply with trailing bytes");
            return reply{closed{}};
        default:
            return garbled("an unknown reply kind");
    }
}

}  // namespace ballotbox::cardio::card_io_wire
