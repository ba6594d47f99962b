#include "ledger/ballot_box.h"

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "ledger/merkle.h"

namespace ballotbox::ledger {
namespace {

// resize + memcpy: GCC 12 mis-warns (-Wstringop-overflow) on vector::insert here.
void put_raw(bytes& out, byte_view data) {
    if (data.empty())
        return;
    auto old = out.size();
    out.resize(old + data.size());
    std::memcpy(out.data() + old, data.data(), data.size());
}

void put_field(bytes& out, byte_view field) {
    auto n = static_cast<std::uint32_t>(field.size());
    for (int i = 3; i >= 0; --i)
        out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    put_raw(out, field);
}

status check_field(byte_view field, std::size_t max, const char* name) {
    if (field.empty())
        return make_error("ledger.ballot_invalid",
                          std::string("the ballot's ") + name + " is empty");
    if (field.size() > max)
        return make_error("ledger.ballot_invalid", std::string("the ballot's ") + name + " is " +
                                                       std::to_string(field.size()) +
                                                       " bytes, more than the " +
                                                       std::to_string(max) + " allowed");
    return ok_status();
}

}  // namespace

status check_ballot(const ballot_view& b) {
    BALLOTBOX_TRY(check_field(b.record, max_record_size, "record"));
    BALLOTBOX_TRY(check_field(b.booth_signature, max_signature_size, "booth signature"));
    BALLOTBOX_TRY(check_field(b.token, max_token_size, "token"));
    if (b.source != ballot_source::stationary && b.source != ballot_source::portable)
        return make_error("ledger.ballot_invalid", "the ballot's source is neither box");
    return ok_status();
}

bytes ballot_leaf_input(const stored_ballot& b) {
    bytes out;
    out.reserve(ballot_domain.size() + 1 + 16 + 1 + 12 + b.content.record.size() +
                b.content.booth_signature.size() + b.content.token.size());
    put_raw(out, as_bytes(ballot_domain));
    out.push_back(0x00);
    put_raw(out, b.key);
    out.push_back(static_cast<std::uint8_t>(b.content.source));
    put_field(out, b.content.record);
    put_field(out, b.content.booth_signature);
    put_field(out, b.content.token);
    return out;
}

// The same bytes as ballot_leaf_input, fed to the hash piece by piece (one context per
// thread, as the Merkle hashes use): a box of many ballots allocates nothing per ballot.
crypto::digest ballot_leaf_hash(const box_key& key, const ballot_view& b) {
    thread_local crypto::sha256_hasher h;
    h.reset();
    auto length = [](byte_view field) {
        const auto n = static_cast<std::uint32_t>(field.size());
        return std::array<std::uint8_t, 4>{
            static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
            static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    };
    h.update(std::uint8_t{0x00});  // the RFC 6962 leaf prefix
    h.update(as_bytes(ballot_domain)).update(std::uint8_t{0x00}).update(key);
    h.update(static_cast<std::uint8_t>(b.source));
    for (byte_view field : {b.record, b.booth_signature, b.token})
        h.update(length(field)).update(field);
    return h.finish();
}

crypto::digest box_root(std::span<const stored_ballot> ballots_in_key_order) {
    std::vector<crypto::digest> leaves;
    leaves.reserve(ballots_in_key_order.size());
    for (const auto& b : ballots_in_key_order)
        leaves.push_back(ballot_leaf_hash(b));
    return merkle_root(leaves);
}

}  // namespace ballotbox::ledger
