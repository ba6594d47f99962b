#include "bench/ledger_bench_day.h"

#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "bench/bench_stats.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "ledger/ledger.h"
#include "ledger/schema.h"

namespace ballotbox::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Bump when the day script changes, so old cached files are not reused.
constexpr const char* script_version = "s2";
constexpr std::size_t record_size = 230;  // a two-race voted card record

template <typename T>
T must(result<T> r, const char* what) {
    if (!r)
        throw std::runtime_error(std::string(what) + ": " + r.err().message);
    return std::move(*r);
}

void remove_set(const fs::path& f) {
    for (const char* s : {"", "-wal", "-shm", "-journal"})
        fs::remove(fs::path(f.string() + s));
}

fs::path scratch_dir(const fs::path& fallback) {
    fs::path shm = "/dev/shm";
    if (fs::is_directory(shm) && access(shm.c_str(), W_OK) == 0)
        return shm;
    return fallback;
}

void build(const fs::path& file, const day_spec& spec) {
    const time_point opening(std::chrono::seconds(1679187600));  // 07:00 UTC+6, 19 March 2023
    manual_clock clock(opening - 30min);
    crypto::seeded_random random(20230319);
    auto key = crypto::ed25519_private_key::generate(random);
    std::vector<time_point> bounds;
    for (auto h : {0h, 3h, 5h, 7h, 9h, 11h, 13h})
        bounds.push_back(opening + h);
    ledger::ledger_options options;
    options.clock = &clock;
    options.random = &random;
    options.window = must(ledger::cast_window::from_boundaries(bounds), "window");
    ledger::genesis_info g;
    g.election_package_sha256 = crypto::sha256(as_bytes("bench election package"));
    g.appliance_key = key.public_key().raw();
    g.origin = "ballotbox.example/bench/station/010001/device/01";
    g.extra["station"] = "010001";
    auto l = must(ledger::ledger::create(file, options, g), "create");
    clock.set(opening);
    must(l.append(ledger::event_type::opening, {{"zero_report", true}}), "opening");
    must(l.append_checkpoint(ledger::checkpoint_kind::opening, key), "opening checkpoint");

    // Voters needed: a voter adds ~2.14 entries (issue, cast or cancel, 1/7 rejected card)
    // and 5/6 of a cast.
    const std::uint64_t voters =
        spec.target_casts ? spec.target_casts * 6 / 5 + 1 : spec.target_entries * 7 / 15 + 1;
    const auto step = std::chrono::microseconds(std::chrono::hours(13)) / (voters + 2);
    std::uint64_t casts = 0;
    int report_hour = 3;
    for (std::uint64_t v = 0;; ++v) {
        if (spec.target_casts && casts >= spec.target_casts)
            break;
        if (spec.target_entries && l.size() + 1 >= spec.target_entries)
            break;
        clock.advance(step);
        if (report_hour <= 11 && clock.now() >= opening + std::chrono::hours(report_hour)) {
            must(l.append(ledger::event_type::turnout,
                          {{"cast", static_cast<std::int64_t>(casts)}, {"hour", report_hour}}),
                 "turnout");
            must(l.append_checkpoint(ledger::checkpoint_kind::turnout, key), "checkpoint");
            report_hour += 2;
        }
        must(l.append(ledger::event_type::issue, {{"style", v % 3 == 0 ? 1 : 0}}), "issue");
        if (v % 7 == 3)
            must(l.append(ledger::event_type::rejected_card, {{"reason", 4}}), "rejected");
        if (v % 6 == 5) {
            must(l.append(ledger::event_type::cancel, {{"confirmed_by", "operator"}}), "cancel");
            continue;
        }
        ledger::ballot b;
        b.record = bytes(record_size);
        random.fill(b.record);
        b.booth_signature = bytes(64);
        random.fill(b.booth_signature);
        b.token = bytes(16);
        random.fill(b.token);
        b.source =
            v % 10 == 9 ? ledger::ballot_source::portable : ledger::ballot_source::stationary;
        must(l.append_cast(b), "cast");
        ++casts;
    }
    clock.set(opening + 13h + 5min);
    must(l.append_closing({{"chair", "confirmed"}}), "closing");
    must(l.append_checkpoint(ledger::checkpoint_kind::final, key), "final checkpoint");
}

bool verifies_complete(const fs::path& file) {
    return ledger::verify(file).outcome == ledger::verify_outcome::complete;
}

}  // namespace

built_day cached_day(const fs::path& cache_dir, const day_spec& spec) {
    fs::create_directories(cache_dir);
    std::string key = std::string("f") + ledger::ledger_format_version + "-u" +
                      std::to_string(ledger::ledger_user_version) + "-" + script_version;
    fs::path cached = cache_dir / ("verify-" + spec.name + "-" + key + ".sqlite");
    if (fs::exists(cached)) {
        if (verifies_complete(cached))
            return {cached, true, 0};
        fs::remove(cached);  // made by an older ledger format: rebuild
    }
    fs::path scratch = scratch_dir(cache_dir) / ("ballotbox-bench-" + std::to_string(getpid()) +
                                                 "-" + spec.name + ".sqlite");
    remove_set(scratch);
    auto t0 = bench_clock::now();
    try {
        build(scratch, spec);
    } catch (...) {
        remove_set(scratch);
        throw;
    }
    double seconds = seconds_since(t0);
    fs::path tmp = cached;
    tmp += ".tmp";
    fs::copy_file(scratch, tmp, fs::copy_options::overwrite_existing);
    remove_set(scratch);
    fs::rename(tmp, cached);
    if (!verifies_complete(cached))
        throw std::runtime_error("the freshly built " + spec.name + " ledger does not verify");
    return {cached, false, seconds};
}

}  // namespace ballotbox::bench
