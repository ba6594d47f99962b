// The election package: what the territorial commission tells one polling station's
// appliance about the election (docs/election-package.md, format
// "ballotbox/election-package/1").
//
// It names the election, the station and its district, the ballots and their options in
// ballot order, the ballot styles a card may carry, the voters on the list, poll hours in
// the station's IANA time zone, the turnout report times, the booth terminals' public keys,
// the salted scrypt hash of the chair's sealed opening secret, and whether it is a training
// package. Nothing in it is hard-coded elsewhere: the number of ballots and options, the
// hours and the seat rules all come from here.
//
// election_package is an immutable value once parsed; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/clock.h"
#include "crypto/ed25519.h"
#include "crypto/kdf.h"
#include "crypto/sha256.h"
#include "election/local_time.h"

namespace ballotbox::election {

inline constexpr const char* package_format = "ballotbox/election-package/1";

// A name in the languages of the documents: Kazakh and Russian required, English optional.
struct multilingual_name {
    std::string kk;
    std::string ru;
    std::string en;
};

struct ballot_option {
    std::string id;
    multilingual_name name;
    multilingual_name nominated_by;  // party or "self-nominated"; empty on a party list
};

enum class ballot_kind { party_list, single_member_district, single_race };

struct ballot {
    std::string id;
    ballot_kind kind = ballot_kind::single_race;
    multilingual_name name;
    std::optional<int> district_number;  // single-member district ballots
    std::vector<ballot_option> options;  // in ballot order
    bool against_all = true;
};

struct ballot_style {
    std::string id;
    std::vector<std::size_t> ballots;  // indices into election_package::ballots, ascending
};

struct booth_terminal {
    std::string id;
    crypto::ed25519_public_key public_key;
};

struct opening_secret_hash {
    crypto::scrypt_params params;
    bytes salt;
    bytes hash;  // 32 bytes
};

// Party-list seat allocation (largest remainder, Hare quota), as the law sets it.
struct seat_rules {
    int seats = 0;
    int threshold_basis_points = 0;  // 500 = 5.00 % of valid votes including "against all"
    int runner_up_min_seats = 0;     // if only one party passes, the next one gets at least this
};

struct election_package {
    std::string election_id;
    multilingual_name election_name;
    local_date poll_date;
    bool training = false;

    std::string station_id;
    int station_number = 0;
    multilingual_name station_name;
    multilingual_name region;
    int district_number = 0;
    multilingual_name district_name;
    std::int64_t voters_on_list = 0;

    std::string time_zone;
    local_time_of_day opens;
    local_time_of_day closes;
    std::vector<local_time_of_day> turnout_reports;
    time_point opens_at;  // UTC instants derived from the above
    time_point closes_at;
    std::vector<time_point> turnout_reports_at;

    std::vector<ballot> ballots;
    std::vector<ballot_style> styles;  // styles[0] is the default style
    std::vector<booth_terminal> booths;
    opening_secret_hash opening_secret;
    std::optional<seat_rules> party_list_seats;

    // SHA-256 of the canonical JSON of the package: the election id written on cards and
    // pinned in the ledger's genesis entry.
    crypto::digest package_hash{};
    std::string canonical_text;  // the canonical JSON that was signed

    const booth_terminal* find_booth(const crypto::ed25519_raw_public_key& key) const;
    const ballot_style* find_style(std::string_view id) const;
};

}  // namespace ballotbox::election
