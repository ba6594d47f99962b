#include "tests/storage/ledger_day.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "common/clock.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "ledger/verify.h"
#include "tests/storage/storage_util.h"

namespace ballotbox::storage_test {

using namespace std::chrono_literals;
namespace lg = ballotbox::ledger;

namespace {

constexpr const char* origin = "ballotbox.example/storage-test/station/010001/device/01";

crypto::ed25519_private_key day_key() {
    return std::move(crypto::ed25519_private_key::from_seed(bytes(32, 0x5a)).value());
}

// 07:00 local (UTC+6) on 19 March 2023.
time_point opening_time() {
    return time_point(std::chrono::seconds(1679187600));
}

lg::ledger_options options_for(const std::string& vfs, const clock_source* clock,
                               random_source* random) {
    lg::ledger_options lo;
    lo.vfs_name = vfs;
    lo.clock = clock;
    lo.random = random;
    return lo;
}

}  // namespace

acknowledged run_day(const std::filesystem::path& file, const day_options& options,
                     const std::function<void()>& before_close) {
    acknowledged ack;
    manual_clock clock(opening_time() - 30min);
    crypto::seeded_random random(options.seed);
    auto key = day_key();
    lg::genesis_info genesis;
    genesis.election_package_sha256 = crypto::sha256(as_bytes("storage test package"));
    genesis.appliance_key = key.public_key().raw();
    genesis.origin = origin;
    genesis.extra["station"] = "010001";

    ++ack.appends_attempted;
    auto created =
        lg::ledger::create(file, options_for(options.vfs_name, &clock, &random), genesis);
    if (!created) {
        ack.failure = created.err();
        return ack;
    }
    lg::ledger& l = *created;
    ack.created = true;
    ack.entry_hashes.push_back(l.head_hash());

    // Each step returns false when the day must stop.
    auto entry = [&](auto&& append) {
        ++ack.appends_attempted;
        auto r = append();
        if (!r) {
            ack.failure = r.err();
            return false;
        }
        ack.entry_hashes.push_back(l.head_hash());
        return true;
    };
    auto checkpoint = [&](lg::checkpoint_kind kind) {
        ++ack.appends_attempted;
        auto r = l.append_checkpoint(kind, key);
        if (!r) {
            ack.failure = r.err();
            return false;
        }
        ack.checkpoint_sizes.push_back(l.size());
        if (kind == lg::checkpoint_kind::final)
            ack.final_checkpoint = true;
        return true;
    };
    auto day = [&]() {
        clock.set(opening_time());
        if (!entry([&] { return l.append(lg::event_type::opening, {{"zero_report", true}}); }))
            return;
        if (!checkpoint(lg::checkpoint_kind::opening))
            return;
        const auto step = std::chrono::seconds(13 * 3600) / (options.voters + 2);
        int turnout_hour = 3;
        std::int64_t casts = 0;
        for (int v = 0; v < options.voters; ++v) {
            clock.advance(std::chrono::duration_cast<std::chrono::microseconds>(step));
            if (clock.now() >= opening_time() + std::chrono::hours(turnout_hour) &&
                turnout_hour <= 11) {
                if (!entry([&] {
                        return l.append(lg::event_type::turnout,
                                        {{"cast", casts}, {"hour", turnout_hour}});
                    }))
                    return;
                if (!checkpoint(lg::checkpoint_kind::turnout))
                    return;
                turnout_hour += 2;
            }
            if (!entry([&] { return l.append(lg::event_type::issue, {{"style", v % 3}}); }))
                return;
            if (v % 7 == 3 && !entry([&] {
                    return l.append(lg::event_type::rejected_card, {{"reason", 4}});
                }))
                return;
            if (v % 6 == 5) {
                if (!entry([&] {
                        return l.append(lg::event_type::cancel, {{"confirmed_by", "operator"}});
                    }))
                    return;
                continue;
            }
            lg::ballot b;
            // Some records are large, so one cast spans several WAL frames.
            b.record = to_bytes("ballot record of voter " + std::to_string(v));
            if (v % 11 == 0)
                b.record.resize(6000, static_cast<std::uint8_t>(v));
            b.booth_signature = bytes(64, static_cast<std::uint8_t>(v));
            b.token = bytes(16, 0);
            random.fill(b.token);
            b.source = v % 10 == 9 ? lg::ballot_source::portable : lg::ballot_source::stationary;
            if (!entry([&] { return l.append_cast(b); }))
                return;
            ack.cast_tokens.push_back(b.token);
            ++casts;
        }
        clock.set(opening_time() + 13h + 5min);
        if (!entry([&] { return l.append_closing({{"chair", "confirmed"}}); }))
            return;
        checkpoint(lg::checkpoint_kind::final);
    };
    day();
    if (before_close)
        before_close();
    return ack;
}

std::uint64_t check_after_crash(const std::filesystem::path& file, const acknowledged& ack,
                                const std::string& continue_vfs) {
    const std::uint64_t acked_entries = ack.entry_hashes.size();
    if (!ack.created) {
        // The genesis was never acknowledged: no ledger, or one that is refused or holds
        // just the genesis; never a broken one that opens.
        if (!std::filesystem::exists(file))
            return 0;
        auto opened = lg::ledger::open_read_only(file);
        if (!opened) {
            MESSAGE("unacknowledged create left a file that is refused: " << opened.err().code);
            return 0;
        }
        CHECK(opened->size() == 1);
        return opened->size();
    }
    REQUIRE(std::filesystem::exists(file));
    {
        raw_db raw(file.string(), nullptr, SQLITE_OPEN_READONLY);
        REQUIRE(raw.open_rc() == SQLITE_OK);
        CHECK(raw.text("PRAGMA integrity_check") == "ok");
        // Nothing half-applied: every cast event has its ballot row and vice versa.
        CHECK(raw.integer("SELECT count(*) FROM entries WHERE type = 4") ==
              raw.integer("SELECT count(*) FROM ballots"));
    }
    auto report = lg::verify(file);
    INFO(report.summary());
    CHECK(report.outcome != lg::verify_outcome::failed);
    if (ack.final_checkpoint)
        CHECK(report.outcome == lg::verify_outcome::complete);
    CHECK(report.entries >= acked_entries);
    CHECK(report.entries <= acked_entries + 1);

    auto reader = lg::ledger::open_read_only(file);
    REQUIRE_MESSAGE(reader.ok(), (reader.ok() ? "" : reader.err().message));
    lg::ledger& l = *reader;
    for (std::uint64_t seq = 0; seq < acked_entries; ++seq) {
        auto e = l.read_entry(seq);
        REQUIRE(e.ok());
        if (e->entry_hash != ack.entry_hashes[seq]) {
            FAIL_CHECK("acknowledged entry " << seq << " differs after the crash");
            break;
        }
    }
    auto checkpoints = l.checkpoints();
    REQUIRE(checkpoints.ok());
    CHECK(checkpoints->size() >= ack.checkpoint_sizes.size());
    CHECK(checkpoints->size() <= ack.checkpoint_sizes.size() + 1);
    for (auto size : ack.checkpoint_sizes)
        CHECK(std::any_of(checkpoints->begin(), checkpoints->end(),
                          [&](const lg::stored_checkpoint& c) { return c.tree_size == size; }));
    auto ballots = l.ballots();
    REQUIRE(ballots.ok());
    CHECK(ballots->size() >= ack.cast_tokens.size());
    CHECK(ballots->size() <= ack.cast_tokens.size() + 1);
    std::size_t found = 0;
    for (const auto& token : ack.cast_tokens)
        found += std::any_of(ballots->begin(), ballots->end(),
                             [&](const lg::stored_ballot& b) { return b.content.token == token; });
    CHECK(found == ack.cast_tokens.size());

    // The day goes on as the daemon would restart it: first the signed checkpoint an
    // opening, turnout or closing entry was waiting for when the power went, then (unless
    // closed) a restart event.
    const std::uint64_t size = l.size();
    auto opened = lg::ledger::open(file, options_for(continue_vfs, nullptr, nullptr));
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.err().message));
    CHECK(opened->size() == size);
    lg::ledger& w = *opened;
    auto last = w.read_entry(size - 1);
    REQUIRE(last.ok());
    const bool checkpointed =
        std::any_of(checkpoints->begin(), checkpoints->end(),
                    [&](const lg::stored_checkpoint& c) { return c.tree_size == size; });
    const auto kind = lg::checkpoint_kind_after(last->type);
    if (!checkpointed && kind != lg::checkpoint_kind::other) {
        auto r = w.append_checkpoint(kind, day_key());
        CHECK_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message));
    }
    if (!w.closed()) {
        auto r = w.append(lg::event_type::restart, {{"reason", "power loss"}});
        CHECK_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message));
    }
    auto after = lg::verify(file);
    INFO(after.summary());
    CHECK(after.outcome != lg::verify_outcome::failed);
    CHECK(after.entries >= report.entries);
    if (w.closed())
        CHECK(after.outcome == lg::verify_outcome::complete);
    return size;
}

}  // namespace ballotbox::storage_test
