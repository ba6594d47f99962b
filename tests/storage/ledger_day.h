// ledger_day: a scripted poll day on the real ledger API that records exactly what was
// acknowledged, stops at the first failed append (as the daemon would after a power loss),
// and the checks a ledger file must pass after a crash.
//
// The day: genesis, opening + opening checkpoint, issues, casts with ballots, cancels,
// rejected cards, turnout events + checkpoints, closing, final checkpoint. Every input is
// seeded, so the same options produce the same sequence of SQLite calls (and so the same
// sync points). Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/sha256.h"
#include "ledger/ledger.h"

namespace ballotbox::storage_test {

struct day_options {
    std::string vfs_name;  // the fault VFS the day writes through
    std::uint64_t seed = 1;
    int voters = 134;  // about 300 appends in all (entries and checkpoints)
};

// What the script was told succeeded.
struct acknowledged {
    bool created = false;
    std::vector<crypto::digest> entry_hashes;  // acknowledged entries, index = seq
    std::vector<std::uint64_t> checkpoint_sizes;
    std::vector<bytes> cast_tokens;
    bool final_checkpoint = false;
    int appends_attempted = 0;     // create counts as one
    std::optional<error> failure;  // the failure that stopped the day
};

// Runs the day at `file` (must not exist). `before_close`, if set, runs while the ledger is
// still open after the last append (e.g. a crash with the connection open).
acknowledged run_day(const std::filesystem::path& file, const day_options& options,
                     const std::function<void()>& before_close = {});

// The checks after a crash, read-only on the default VFS: integrity_check, verify()
// (complete only with a final checkpoint, never failed), every acknowledged entry /
// checkpoint / ballot present and identical, at most one unacknowledged append present,
// casts = ballots. Then the ledger reopens for writing through `continue_vfs` (empty = the
// default VFS; the tests pass the reset fault VFS so no real fsync slows them) and
// continues: a restart event, or the final checkpoint if the crash came between closing and
// it; verify() again. Reports through doctest CHECKs; returns the number of entries found.
std::uint64_t check_after_crash(const std::filesystem::path& file, const acknowledged& ack,
                                const std::string& continue_vfs);

}  // namespace ballotbox::storage_test
