// scripted_day: test helpers that build a real ledger file for a short, deterministic poll
// day (genesis, opening + opening checkpoint, issues, casts, cancels, rejected cards, turnout
// events + checkpoints, closing, final checkpoint), and raw SQL access for tampering.
//
// Everything is seeded: the same options give the same file contents byte for byte in the
// entries, ballots and checkpoints tables. Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "ledger/ledger.h"
#include "ledger/sqlite.h"

namespace ballotbox::test_support {

inline constexpr const char* test_origin =
    "ballotbox.example/test-election/station/010001/device/01";

crypto::ed25519_private_key test_key(std::uint8_t fill);
ledger::genesis_info test_genesis(const crypto::ed25519_private_key& key,
                                  const std::string& origin = test_origin);
// 07:00 local (UTC+6) on 19 March 2023, as UTC.
time_point poll_opening();
// Windows starting 07:00, 10:00, 12:00, 14:00, 16:00, 18:00, 20:00 local.
ledger::cast_window turnout_window();

struct day_options {
    std::uint64_t seed = 1;
    int voters = 24;    // cards issued; every 6th is cancelled instead of cast
    bool close = true;  // closing entry and final checkpoint at the end
    std::string origin = test_origin;
    std::uint8_t key_fill = 0x11;
};

struct day_result {
    std::filesystem::path file;
    std::vector<std::string> checkpoint_notes;  // in order, the final one last when closed
    std::uint64_t entries = 0;
    std::uint64_t casts = 0;
};

// Builds the day at `file` (which must not exist) and closes the ledger object.
day_result run_scripted_day(const std::filesystem::path& file, const day_options& options = {});

// Raw access to the file, bypassing the ledger (the attacker's view).
ledger::sqlite::database open_raw(const std::filesystem::path& file);
void exec_raw(const std::filesystem::path& file, const std::string& sql);
// Runs `sql` with ?1 bound to blob.
void exec_raw_blob(const std::filesystem::path& file, const std::string& sql, byte_view blob);
bytes query_blob(const std::filesystem::path& file, const std::string& sql);
std::int64_t query_int(const std::filesystem::path& file, const std::string& sql);
std::string query_text(const std::filesystem::path& file, const std::string& sql);

}  // namespace ballotbox::test_support
