// Power loss on the ledger: a scripted 300-append poll day through the fault VFS, crashed
// at every sync point (before or after the sync takes effect, under a seeded mix of the
// crash policies), then reopened with the default VFS and checked (ledger_day.h). The
// sync points are split over several test cases so CTest can run them in parallel.
#include <doctest/doctest.h>

#include "crypto/random.h"
#include "ledger/fault_vfs.h"
#include "tests/storage/ledger_day.h"
#include "tests/storage/storage_util.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace ballotbox::storage_test;

namespace {

constexpr int parts = 4;

struct day_counts {
    int appends = 0;
    std::uint64_t syncs = 0;  // the close (WAL checkpoint) included
    std::uint64_t syncs_before_close = 0;
    std::uint64_t entries = 0;
};

// The clean day through the fault VFS: how many appends and sync points it has.
day_counts clean_day(fault_vfs& vfs, const std::string& file) {
    day_options options;
    options.vfs_name = vfs.name();
    day_counts c;
    auto ack = run_day(file, options, [&] { c.syncs_before_close = vfs.counters().syncs; });
    REQUIRE_FALSE(ack.failure.has_value());
    REQUIRE(ack.final_checkpoint);
    c.appends = ack.appends_attempted;
    c.entries = ack.entry_hashes.size();
    c.syncs = vfs.counters().syncs;
    return c;
}

// Crashes the day at sync points part, part + parts, ... (1-based). Sync points past the
// last append are in the ledger's close (its WAL checkpoint); one past them all means a
// crash with the ledger still open after the day.
void crash_every_sync_point(int part) {
    scratch_dir dir;
    const std::string file = dir.file("ledger.db");
    crypto::seeded_random rng(0);
    auto made = fault_vfs::create("power-loss-" + std::to_string(part), rng);
    REQUIRE(made.ok());
    fault_vfs& vfs = *made.value();
    const auto clean = clean_day(vfs, file);
    CHECK(clean.appends >= 290);
    CHECK(clean.appends <= 310);
    REQUIRE(vfs.reset().ok());
    dir.empty();

    const crash_policy policies[] = {crash_policy::drop_all, crash_policy::keep_prefix,
                                     crash_policy::tear, crash_policy::reorder};
    int scenarios = 0, in_flight_found = 0;
    for (std::uint64_t k = static_cast<std::uint64_t>(part); k <= clean.syncs + 1; k += parts) {
        const auto policy = policies[(k / parts) % 4];
        const bool after = (k / (parts * 4)) % 2 == 1;
        CAPTURE(k);
        CAPTURE(std::string(to_string(policy)));
        CAPTURE(after);
        rng = crypto::seeded_random(1000 + k);
        day_options options;
        options.vfs_name = vfs.name();
        vfs.crash_at(fault_op::sync, k, policy, after);
        auto ack = run_day(file, options, [&] {
            if (k > clean.syncs)
                REQUIRE(vfs.crash(policy).ok());
        });
        REQUIRE(vfs.crashed());
        REQUIRE(vfs.last_crash().ok());
        // A crash during an append stops the day there.
        if (k <= clean.syncs_before_close)
            CHECK(ack.failure.has_value());
        REQUIRE(vfs.reset().ok());  // the power is back: a fresh disk model for the restart
        auto found = check_after_crash(file, ack, vfs.name());
        if (found > ack.entry_hashes.size())
            ++in_flight_found;
        ++scenarios;
        REQUIRE(vfs.reset().ok());
        dir.empty();
    }
    MESSAGE("part " << part << ": " << scenarios << " crash scenarios of " << clean.syncs
                    << " sync points in a day of " << clean.appends << " appends (" << clean.entries
                    << " entries, " << clean.syncs - clean.syncs_before_close
                    << " syncs in its close); unacknowledged append found durable in "
                    << in_flight_found);
    CHECK(scenarios > 0);
}

}  // namespace

TEST_CASE("ledger power loss: every sync point of a 300-append day, part 1 of 4") {
    crash_every_sync_point(1);
}
TEST_CASE("ledger power loss: every sync point of a 300-append day, part 2 of 4") {
    crash_every_sync_point(2);
}
TEST_CASE("ledger power loss: every sync point of a 300-append day, part 3 of 4") {
    crash_every_sync_point(3);
}
TEST_CASE("ledger power loss: every sync point of a 300-append day, part 4 of 4") {
    crash_every_sync_point(4);
}
