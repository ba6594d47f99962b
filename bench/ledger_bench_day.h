// ledger_bench_day: builds a poll-day ledger through the ledger API for the verify benchmark
// (genesis, opening + its checkpoint, per voter an issue then a cast, every 6th cancelled,
// every 7th with a rejected card, the five daytime turnout reports + checkpoints, closing and
// the final checkpoint), and keeps built files in a cache keyed by the ledger format.
//
// Building writes in a scratch folder on tmpfs (/dev/shm) when there is one, where
// synchronous=FULL commits cost no disk flush, then copies the closed file into the cache
// under a temporary name and renames it: a crashed build leaves no half file in the cache.
// Everything is seeded, so one target gives the same ledger every time. Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace ballotbox::bench {

struct day_spec {
    std::string name;                  // "day3000", "1m": part of the cache file name
    std::uint64_t target_casts = 0;    // stop once this many ballots are cast, or
    std::uint64_t target_entries = 0;  // once the ledger (with closing + final) has this many
};

struct built_day {
    std::filesystem::path file;
    bool from_cache = false;
    double build_seconds = 0;  // 0 when from the cache
};

// The cached file for spec, built first if it is missing or no longer verifies as complete
// (the ledger format changed). Throws std::runtime_error with the reason on failure.
built_day cached_day(const std::filesystem::path& cache_dir, const day_spec& spec);

}  // namespace ballotbox::bench
