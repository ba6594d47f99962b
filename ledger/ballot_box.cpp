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

namespace {

// ballot_leaf_input's bytes for the ballot, appended to out.
void put_leaf_input(bytes& out, const box_key& key, const ballot_view& b) {
    put_raw(out, as_bytes(ballot_domain));
    out.push_back(0x00);
    put_raw(out, key);
    out.push_back(static_cast<std::uint8_t>(b.source));
    put_field(out, b.record);
    put_field(out, b.booth_signature);
    put_field(out, b.token);
}

}  // namespace

bytes ballot_leaf_input(const stored_ballot& b) {
    bytes out;
    put_leaf_input(out, b.key, view_of(b.content));
    return out;
}

// The leaf input built by the same writer as ballot_leaf_input, in a buffer kept per thread
// (a box of many ballots allocates nothing per ballot), and hashed in one call: 4 % faster
// than feeding the hash ten short pieces, and one description of the layout instead of two.
crypto::digest ballot_leaf_hash(const box_key& key, const ballot_view& b) {
    thread_local bytes input;
    input.clear();
    input.push_back(0x00);  // the RFC 6962 leaf prefix
    put_leaf_input(input, key, b);
    thread_local crypto::sha256_hasher h;
    h.reset();
    return h.update(input).finish();
}

crypto::digest box_root(std::span<const stored_ballot> ballots_in_key_order) {
    std::vector<crypto::digest> leaves;
    leaves.reserve(ballots_in_key_order.size());
    for (const auto& b : ballots_in_key_order)
        leaves.push_back(ballot_leaf_hash(b));
    return merkle_root(leaves);
}

}  // namespace ballotbox::ledger
