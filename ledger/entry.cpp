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

constexpr std::size_t head_size = entry_domain.size() + 1 + 16;

// The fixed-size head of the hashed input: domain, 0x00, u64be(seq), u32be(type),
// u32be(len(body)).
std::array<std::uint8_t, head_size> entry_head(std::uint64_t seq, std::uint32_t type,
                                               std::size_t body_size) {
    std::array<std::uint8_t, head_size> head{};
    std::copy(entry_domain.begin(), entry_domain.end(), head.begin());
    std::size_t at = entry_domain.size() + 1;
    auto put = [&](std::uint64_t value, int width) {
        for (int i = width - 1; i >= 0; --i)
            head[at++] = static_cast<std::uint8_t>(value >> (8 * i));
    };
    put(seq, 8);
    put(type, 4);
    put(body_size, 4);
    return head;
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
    // Sized once and filled by position: g++ 12 at -O3 gives a false -Wstringop-overflow
    // ("writing into a region of size 0") for a sequence of inserts into a reserved vector.
    auto head = entry_head(seq, type, body.size());
    bytes out(head.size() + body.size() + prev_hash.size());
    auto at = std::copy(head.begin(), head.end(), out.begin());
    at = std::copy(body.begin(), body.end(), at);
    std::copy(prev_hash.begin(), prev_hash.end(), at);
    return out;
}

crypto::digest compute_entry_hash(std::uint64_t seq, std::uint32_t type, std::string_view body,
                                  byte_view prev_hash) {
    crypto::sha256_hasher hasher;
    return compute_entry_hash(hasher, seq, type, body, prev_hash);
}

crypto::digest compute_entry_hash(crypto::sha256_hasher& hasher, std::uint64_t seq,
                                  std::uint32_t type, std::string_view body, byte_view prev_hash) {
    auto head = entry_head(seq, type, body.size());
    hasher.reset();
    hasher.update(head).update(as_bytes(body)).update(prev_hash);
    return hasher.finish();
}

crypto::digest entry_leaf_hash(const crypto::digest& entry_hash) {
    return merkle_leaf_hash(entry_hash);
}

}  // namespace ballotbox::ledger
