// The ballot-card record: what one voter's card carries, as plain values.
//
// A card is blank, issued (the appliance's activation: election, station, ballot style,
// one-time token, and the appliance's MAC over them) or voted (the activation plus, per
// race carried, the voter's choice, the booth terminal's key id and its Ed25519 signature
// over the whole record). The byte layout, the write order that makes torn writes
// detectable, and test vectors are in docs/card-format.md; card_codec.h encodes and parses,
// card_mac.h and booth_signature.h make and check the MAC and the signature.
//
// Nothing here identifies the voter or says when the card was used: no time, no sequence.
//
// Plain value types: copyable, no shared state, safe to use from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace ballotbox::cardio {

// Where the record lives: a transparent EF of at least card_record_file_size bytes, file id
// 0x0B01, directly under the MF (3F00). The record starts at offset 0.
inline constexpr std::uint16_t card_record_file_id = 0x0B01;
inline constexpr std::size_t card_record_file_size = 1024;

inline constexpr std::uint8_t card_record_version = 1;

// Bounds of the format (the parser rejects anything outside them).
inline constexpr std::size_t max_station_id_length = 32;
inline constexpr std::size_t max_races = 8;  // race indices 0..7 in the election package
inline constexpr std::size_t token_size = 16;

enum class card_state : std::uint8_t { blank = 0x01, issued = 0x02, voted = 0x03 };

// One race (ballot) the card carries: its index in the election package's ballot order and
// the number of options on it (not counting "against all"), 1..255.
struct race_slot {
    std::uint8_t race = 0;
    std::uint8_t option_count = 0;
    friend bool operator==(const race_slot&, const race_slot&) = default;
};

using one_time_token = std::array<std::uint8_t, token_size>;

// The activation the appliance writes: the "issued part" its MAC covers.
struct issue_data {
    crypto::digest election_id{};  // SHA-256 of the election package
    std::string station_id;        // 1..32 chars of [0-9A-Za-z._/-], as in the package
    std::vector<race_slot> style;  // 1..8 races, strictly ascending race index
    one_time_token token{};
    friend bool operator==(const issue_data&, const issue_data&) = default;
};

struct blank_card {
    friend bool operator==(const blank_card&, const blank_card&) = default;
};

struct issued_card {
    issue_data issue;
    crypto::digest mac{};  // HMAC-SHA256 with the appliance's key, see card_mac.h
    friend bool operator==(const issued_card&, const issued_card&) = default;
};

// The voter's choice on one race.
enum class choice_kind : std::uint8_t { option = 0x01, against_all = 0x02, blank = 0x03 };

struct ballot_choice {
    choice_kind kind = choice_kind::blank;
    std::uint8_t option = 0;  // index in ballot order when kind == option, else 0

    static ballot_choice for_option(std::uint8_t index) { return {choice_kind::option, index}; }
    static ballot_choice against_all() { return {choice_kind::against_all, 0}; }
    static ballot_choice left_blank() { return {choice_kind::blank, 0}; }
    friend bool operator==(const ballot_choice&, const ballot_choice&) = default;
};

// SHA-256 of the booth terminal's raw 32-byte Ed25519 public key.
using booth_key_id = crypto::digest;

struct voted_card {
    issued_card issued;
    std::vector<ballot_choice> choices;  // one per race of issued.issue.style, same order
    booth_key_id booth{};
    crypto::ed25519_signature signature{};
    friend bool operator==(const voted_card&, const voted_card&) = default;
};

using card_record = std::variant<blank_card, issued_card, voted_card>;

inline card_state state_of(const card_record& record) {
    switch (record.index()) {
        case 0:
            return card_state::blank;
        case 1:
            return card_state::issued;
        default:
            return card_state::voted;
    }
}

}  // namespace ballotbox::cardio
