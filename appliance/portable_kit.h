// portable_kit: what the station's appliance hands to its portable ballot box at setup
// (docs/portable-box.md): the election package's hash and the station, so that the portable
// box is set up for the same election and station, and the station's issue-MAC key, so that
// a card issued by either appliance can be cast in either box and is counted exactly once.
//
// The kit is a small canonical JSON text, format "ballotbox-portable-kit/1":
//   {"election_package_sha256": hex, "format": ..., "mac_key": hex, "station_id": ...}
// It carries a secret (the MAC key, revealed in the closing entry at the end of the day):
// it is written with mode 0600 and travels with the commission members like the blank cards.
//
// Value type; parse_portable_kit is strict (unknown members, wrong lengths, other formats are
// refused) and never reads past its bound. The key is wiped when the kit is destroyed.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/secret_bytes.h"
#include "crypto/sha256.h"

namespace ballotbox::appliance {

inline constexpr std::string_view portable_kit_format = "ballotbox-portable-kit/1";
inline constexpr std::size_t max_portable_kit_bytes = 4096;

struct portable_kit {
    crypto::digest package_sha256{};
    std::string station_id;
    crypto::secret_bytes mac_key;  // 32 bytes
};

std::string serialize_portable_kit(const portable_kit& kit);

// Errors: "appliance.bad_portable_kit" naming what is wrong.
result<portable_kit> parse_portable_kit(std::string_view text);

}  // namespace ballotbox::appliance
