// The tally registry: which appliance key was registered for each polling station at setup
// (format in docs/tally-registry.md, "ballotbox/tally-registry/1").
//
//     ballotbox/tally-registry/1\n
//     <station id> <64 lower-case hex digits: the raw Ed25519 public key>\n
//     ...
//
// The parser is strict: LF line ends, the last line ends in LF, no blank lines, comments or
// extra spaces; station ids of 1..64 of [a-z0-9._-]; each station once; at most 16 MiB and
// 200,000 stations. Each malformed input has its own "registry.*" code and names the line.
// A parsed registry is an immutable value; safe to share between threads.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"

namespace ballotbox::tally {

inline constexpr std::string_view registry_format = "ballotbox/tally-registry/1";
inline constexpr std::size_t max_registry_bytes = 16u << 20;
inline constexpr std::size_t max_registry_stations = 200000;

class station_registry {
  public:
    // nullptr when the station is not registered.
    const crypto::ed25519_public_key* find(std::string_view station_id) const;
    std::size_t size() const { return keys_.size(); }

    // Errors: "registry.too_large", "registry.bad_header", "registry.no_final_newline",
    // "registry.bad_line" (shape), "registry.bad_station_id", "registry.bad_key" (not 64
    // lower-case hex digits, or not a valid Ed25519 point), "registry.duplicate_station",
    // "registry.too_many_stations".
    static result<station_registry> parse(std::string_view text);
    // Also "registry.unreadable".
    static result<station_registry> load(const std::filesystem::path& path);

  private:
    std::map<std::string, crypto::ed25519_public_key, std::less<>> keys_;
};

// The file text for these entries (in the given order). The caller passes valid station ids.
std::string format_registry(
    const std::vector<std::pair<std::string, crypto::ed25519_raw_public_key>>& entries);

// 1..64 of [a-z0-9._-].
bool station_id_valid(std::string_view id);

}  // namespace ballotbox::tally
