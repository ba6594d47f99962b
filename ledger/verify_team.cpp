#include "ledger/verify_team.h"

#include <algorithm>
#include <limits>
#include <system_error>
#include <thread>

#include "ledger/ledger_file.h"
#include "ledger/schema.h"

namespace ballotbox::ledger::detail {

// verify() reads every page once, in order: a big page cache only costs allocating (and
// faulting in) memory that is never read twice. A small one made the 3,000-ballot day's
// verify an eighth faster, and the 1,000,000-entry one no slower (bench/README.md).
void read_once(sqlite::database& db) {
    (void)db.exec("PRAGMA cache_size = -256");  // KiB; a hint, harmless if refused
}

result<sqlite::database> open_for_one_read(const std::filesystem::path& path,
                                           const std::string& vfs) {
    auto db = open_file_for_reading(path, vfs);
    if (db)
        read_once(*db);
    return db;
}

unsigned thread_count(const verify_options& options) {
    if (options.threads != 0)
        return options.threads;
    return std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
}

// Taken before any thread starts, so a small file starts none; a file that grows meanwhile
// is still checked whole, on fewer threads.
std::uint64_t entry_bound(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return std::numeric_limits<std::uint64_t>::max();
    auto wal = path;
    wal += "-wal";
    const auto wal_size = std::filesystem::file_size(wal, ec);
    return (size + (ec ? 0 : wal_size)) / 64;
}

unsigned range_threads(const verify_options& options, std::uint64_t max_entries) {
    const std::uint64_t per_thread = std::max<std::uint64_t>(options.min_entries_per_thread, 1);
    return static_cast<unsigned>(
        std::min<std::uint64_t>(thread_count(options), max_entries / per_thread));
}

std::vector<std::uint32_t> part_cuts(unsigned parts, unsigned threads) {
    // Part i's weight: 1 + 3 (parts - 1 - i) / (parts - 1) (times parts - 1, to stay in
    // integers), or 1 for all; the cuts are the running sums over the total, in 2^-32.
    const bool shrink = parts > threads && parts > 1;
    std::vector<std::uint64_t> weights(parts);
    for (unsigned i = 0; i < parts; ++i)
        weights[i] = shrink ? (parts - 1) + 3 * std::uint64_t{parts - 1 - i} : 1;
    std::uint64_t total = 0;
    for (auto w : weights)
        total += w;
    std::vector<std::uint32_t> cuts;
    cuts.reserve(parts > 0 ? parts - 1 : 0);
    std::uint64_t sum = 0;
    for (unsigned i = 0; i + 1 < parts; ++i) {
        sum += weights[i];
        cuts.push_back(
            static_cast<std::uint32_t>((static_cast<unsigned __int128>(sum) << 32) / total));
    }
    return cuts;
}

std::vector<std::uint64_t> part_starts(std::uint64_t entries,
                                       const std::vector<std::uint32_t>& cuts) {
    const std::uint64_t parts = cuts.size() + 1;
    std::vector<std::uint64_t> starts{0};
    for (std::uint64_t i = 1; i < parts; ++i) {
        const auto at = static_cast<std::uint64_t>(
            (static_cast<unsigned __int128>(entries) * cuts[i - 1]) >> 32);
        // At least one entry in this part and in each one after it, when there are enough.
        const auto low = starts.back() + 1;
        const auto high = entries >= parts - i ? entries - (parts - i) : 0;
        starts.push_back(std::max(std::min(at, high), std::min(low, high)));
    }
    starts.push_back(entries);
    return starts;
}

result<std::uint64_t> count_entries(sqlite::database& db) {
    auto st = sqlite::statement::prepare(db, "SELECT coalesce(max(seq), -1) + 1 FROM entries");
    if (!st)
        return st.err();
    auto row = st->step();
    if (!row)
        return row.err();
    return static_cast<std::uint64_t>(std::max<std::int64_t>(*row ? st->column_int(0) : 0, 0));
}

helper_team::helper_team(unsigned helpers, connection_opener opener, bool open_reader)
    : open_connection(std::move(opener)),
      connections(helpers + 1),
      opens_reader(open_reader && helpers > 0),
      threads(helpers, [this](std::size_t t) {
          if (t == 1 && opens_reader) {
              early_reader early{open_connection(), ok_status(), std::nullopt};
              if (early.connection) {
                  early.schema = check_schema(*early.connection);
                  if (early.schema)
                      early.entries = count_entries(*early.connection);
              }
              reader.emplace(std::move(early));
              reader_ready.store(true, std::memory_order_release);
              reader_ready.notify_all();
          }
          connections[t].emplace(open_connection());
      }) {}

}  // namespace ballotbox::ledger::detail
