// audit_bench_day: builds, through the ledger API, a closed poll-day ledger that passes the
// whole audit: genesis with the appliance's fields (election, station, training flag, MAC-key
// commitment), the opening and its checkpoint, per voter an issue event and a cast of a real
// voted card (issued with the MAC key, signed by one of two booth keys of the package),
// every 50th card cancelled instead, six turnout reports with their checkpoints, the closing
// entry (counts, the revealed MAC key) and the final checkpoint. The bodies are those the
// appliance writes (appliance/poll_day*.cpp). Built on tmpfs when there is one, then copied.
// Seeded; not thread-safe. Throws std::runtime_error on failure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace ballotbox::bench {

struct audit_day_files {
    std::filesystem::path ledger;
    std::filesystem::path package;
    std::filesystem::path commission_key;
    double build_seconds = 0;  // 0 when taken from the cache
};

// ballots cast; the files live in dir (reused when present and complete).
audit_day_files audit_bench_day(const std::filesystem::path& dir, std::uint64_t ballots);

}  // namespace ballotbox::bench
