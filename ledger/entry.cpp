#include "ledger/entry.h"

#include <array>

#include "ledger/merkle.h"

namespace ballotbox::ledger {
namespace {

constexpr std::array<std::string_view, 16> names = {"",
                                                    "genesis",
                                                    "opening",
                                                    "issue",
                                                    "cast",
                                                    "cancel",
                                                    "rejected_card",
                                                    "turnout",
                                                    "restart",
                                                    "operator_command",
                                                    "closing",
                                                    "protocol_issued",
                                                    "portable_import",
                                                    "reset_with_minutes",
                                                    "portable_registered",
                                                    "portable_not_used"};

void put_be(bytes& out, std::uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i)
        out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

}  // namespace

std::optional<std::string_view> event_type_name(std::uint32_t code) {
    if (code == 0 || code >= names.size())
        return std::nullopt;
    return names[code];
}

bool is_known_event_type(std::uint32_t code) {
    return event_type_name(code).has_value();
}

bytes entry_hash_input(std::uint64_t seq, std::uint32_t type, std::string_view body,
                       byte_view prev_hash) {
    bytes out;
    out.reserve(entry_domain.size() + 1 + 16 + body.size() + prev_hash.size());
    auto domain = as_bytes(entry_domain);
    out.insert(out.end(), domain.begin(), domain.end());
    out.push_back(0x00);
    put_be(out, seq, 8);
    put_be(out, type, 4);
    put_be(out, body.size(), 4);
    out.insert(out.end(), body.begin(), body.end());
    out.insert(out.end(), prev_hash.begin(), prev_hash.end());
    return out;
}

crypto::digest compute_entry_hash(std::uint64_t seq, std::uint32_t type, std::string_view body,
                                  byte_view prev_hash) {
    crypto::sha256_hasher hasher;
    return compute_entry_hash(hasher, seq, type, body, prev_hash);
}

crypto::digest compute_entry_hash(crypto::sha256_hasher& hasher, std::uint64_t seq,
                                  std::uint32_t type, std::string_view body, byte_view prev_hash) {
    // The fixed-size head: domain, 0x00, u64be(seq), u32be(type), u32be(len(body)).
    std::array<std::uint8_t, entry_domain.size() + 1 + 16> head{};
    std::copy(entry_domain.begin(), entry_domain.end(), head.begin());
    std::size_t at = entry_domain.size() + 1;
    auto put = [&](std::uint64_t value, int width) {
        for (int i = width - 1; i >= 0; --i)
            head[at++] = static_cast<std::uint8_t>(value >> (8 * i));
    };
    put(seq, 8);
    put(type, 4);
    put(body.size(), 4);
    hasher.reset();
    hasher.update(head).update(as_bytes(body)).update(prev_hash);
    return hasher.finish();
}

crypto::digest entry_leaf_hash(const crypto::digest& entry_hash) {
    return merkle_leaf_hash(entry_hash);
}

}  // namespace ballotbox::ledger
