// ledger_append: durable appends per second and their p50/p99 latency through the ledger API
// (append for an issue event, append_cast for a cast with its ballot), side by side in the
// same run and the same directory with raw SQLite: one INSERT of a row of the same size per
// transaction, WAL, synchronous=FULL, a prepared statement reused (the fastest durable
// single-row commit SQLite offers). Ledger and raw voters alternate one by one, so both see
// the same disk. Goal: ledger rate >= 0.5 x raw rate.
//
// Usage: ledger_append [data-dir] [voters-per-round] [rounds] [runs]. The data dir must be on
// a real disk (refused on tmpfs); files are created there and removed afterwards.
#include <sqlite3.h>
#include <sys/vfs.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/bench_stats.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "ledger/ledger.h"

using namespace ballotbox;
using namespace ballotbox::bench;
namespace fs = std::filesystem;

namespace {

constexpr long tmpfs_magic = 0x01021994;
constexpr std::size_t record_size = 230;  // a two-race voted card record (docs/card-format.md)

struct sqlite_closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct stmt_finalizer {
    void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using raw_db = std::unique_ptr<sqlite3, sqlite_closer>;
using raw_stmt = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

// Raw SQLite: WAL, synchronous=FULL, one row per transaction.
class raw_sqlite {
  public:
    explicit raw_sqlite(const fs::path& file) {
        sqlite3* h = nullptr;
        int rc =
            sqlite3_open_v2(file.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        db_.reset(h);
        check(rc, h, "open");
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = FULL");
        exec("CREATE TABLE rows(id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
        begin_ = prepare("BEGIN IMMEDIATE");
        insert_ = prepare("INSERT INTO rows(data) VALUES (?1)");
        commit_ = prepare("COMMIT");
    }
    void commit_row(const bytes& data) {
        step(begin_.get());
        sqlite3_bind_blob(insert_.get(), 1, data.data(), static_cast<int>(data.size()),
                          SQLITE_STATIC);
        step(insert_.get());
        step(commit_.get());
    }

  private:
    void exec(const char* sql) {
        check(sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr), db_.get(), sql);
    }
    raw_stmt prepare(const char* sql) {
        sqlite3_stmt* st = nullptr;
        check(sqlite3_prepare_v2(db_.get(), sql, -1, &st, nullptr), db_.get(), sql);
        return raw_stmt(st);
    }
    void step(sqlite3_stmt* st) {
        check(sqlite3_step(st), db_.get(), "step");
        sqlite3_reset(st);
    }
    raw_db db_;
    raw_stmt begin_, insert_, commit_;
};

template <typename T>
T must(result<T> r, const char* what) {
    if (!r)
        throw std::runtime_error(std::string(what) + ": " + r.err().message);
    return std::move(*r);
}

struct run_figures {
    std::vector<double> ledger_issue, ledger_cast, raw_issue, raw_cast;  // seconds per commit
    double ledger_rate() const {
        return double(ledger_issue.size() + ledger_cast.size()) /
               (sum(ledger_issue) + sum(ledger_cast));
    }
    double raw_rate() const {
        return double(raw_issue.size() + raw_cast.size()) / (sum(raw_issue) + sum(raw_cast));
    }
    double ratio() const { return ledger_rate() / raw_rate(); }
};

void remove_set(const fs::path& f) {
    for (const char* s : {"", "-wal", "-shm", "-journal"})
        fs::remove(fs::path(f.string() + s));
}

run_figures one_run(const fs::path& dir, int voters_per_round, int rounds) {
    const fs::path ledger_file = dir / "append-ledger.sqlite";
    const fs::path raw_file = dir / "append-raw.sqlite";
    remove_set(ledger_file);
    remove_set(raw_file);

    crypto::seeded_random random(7);
    auto key = crypto::ed25519_private_key::generate(random);
    ledger::genesis_info g;
    g.election_package_sha256 = crypto::sha256(as_bytes("bench election package"));
    g.appliance_key = key.public_key().raw();
    g.origin = "ballotbox.example/bench/station/010001/device/01";
    auto l = must(ledger::ledger::create(ledger_file, {}, g), "create");
    must(l.append(ledger::event_type::opening, {{"zero_report", true}}), "opening");
    must(l.append_checkpoint(ledger::checkpoint_kind::opening, key), "checkpoint");
    raw_sqlite raw(raw_file);

    // Raw rows of the bytes the ledger writes: the entry row (seq, type, body, two hashes)
    // for an issue, plus the ballot row (key, record, signature, token, source) for a cast.
    const boost::json::object issue_body{{"style", 0}};
    const std::size_t issue_row = 8 + 4 + 11 + 64;
    const std::size_t cast_row = 8 + 4 + 38 + 64 + 16 + record_size + 64 + 16 + 1;
    bytes issue_bytes(issue_row), cast_bytes(cast_row);
    random.fill(issue_bytes);
    random.fill(cast_bytes);

    run_figures f;
    auto ledger_voter = [&] {
        ledger::ballot b;
        b.record = bytes(record_size);
        random.fill(b.record);
        b.booth_signature = bytes(64);
        random.fill(b.booth_signature);
        b.token = bytes(16);
        random.fill(b.token);
        auto t0 = bench_clock::now();
        must(l.append(ledger::event_type::issue, issue_body), "append issue");
        f.ledger_issue.push_back(seconds_since(t0));
        t0 = bench_clock::now();
        must(l.append_cast(b), "append_cast");
        f.ledger_cast.push_back(seconds_since(t0));
    };
    auto raw_voter = [&] {
        auto t0 = bench_clock::now();
        raw.commit_row(issue_bytes);
        f.raw_issue.push_back(seconds_since(t0));
        t0 = bench_clock::now();
        raw.commit_row(cast_bytes);
        f.raw_cast.push_back(seconds_since(t0));
    };
    // Voter by voter, taking turns at going first: on ext4 an fsync can also pay for the
    // other file's dirty pages, so neither side may always follow the other.
    for (int v = 0; v < rounds * voters_per_round; ++v) {
        if (v % 2 == 0) {
            ledger_voter();
            raw_voter();
        } else {
            raw_voter();
            ledger_voter();
        }
    }
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    fs::path dir = argc > 1 ? fs::path(argv[1]) : fs::path(BALLOTBOX_BENCH_DATA_DIR);
    // Short alternating batches, so a slow spell of the disk hits both sides alike.
    int voters = argc > 2 ? std::atoi(argv[2]) : 10;
    int rounds = argc > 3 ? std::atoi(argv[3]) : 50;
    int runs = argc > 4 ? std::atoi(argv[4]) : 5;
    try {
        fs::create_directories(dir);
        struct statfs sf {};
        if (statfs(dir.c_str(), &sf) != 0 || static_cast<long>(sf.f_type) == tmpfs_magic) {
            std::fprintf(stderr,
                         "ledger_append: %s is on tmpfs (or unreadable): durable "
                         "appends must be measured on a real disk\n",
                         dir.c_str());
            return 2;
        }
        std::fprintf(stderr,
                     "ledger_append: %s (filesystem magic 0x%lx), %d runs of %d x %d "
                     "voters (issue + cast each)\n",
                     dir.c_str(), static_cast<long>(sf.f_type), runs, rounds, voters);
        std::vector<run_figures> all;
        for (int i = 0; i < runs; ++i) {
            all.push_back(one_run(dir, voters, rounds));
            const auto& f = all.back();
            std::fprintf(stderr, "  run %d: ledger %.0f/s, raw %.0f/s, ratio %.2f\n", i + 1,
                         f.ledger_rate(), f.raw_rate(), f.ratio());
        }
        std::sort(all.begin(), all.end(),
                  [](const run_figures& a, const run_figures& b) { return a.ratio() < b.ratio(); });
        const auto& m = all[all.size() / 2];
        auto both = m.ledger_issue;
        both.insert(both.end(), m.ledger_cast.begin(), m.ledger_cast.end());
        auto raw_both = m.raw_issue;
        raw_both.insert(raw_both.end(), m.raw_cast.begin(), m.raw_cast.end());
        auto ms = [](double s) { return fmt("%.2f", s * 1000); };
        print_row("ledger_append (issue + cast, durable)",
                  fmt("%.0f appends/s", m.ledger_rate()) + ", p50 " + ms(quantile(both, 0.5)) +
                      " ms, p99 " + ms(quantile(both, 0.99)) + " ms",
                  fmt("raw SQLite FULL/WAL %.0f commits/s", m.raw_rate()) + ", p50 " +
                      ms(quantile(raw_both, 0.5)) + " ms, p99 " + ms(quantile(raw_both, 0.99)) +
                      " ms",
                  m.ratio(), ">= 0.5");
        print_row("ledger_append: median latency (detail)",
                  "p50 " + ms(quantile(both, 0.5)) + " ms",
                  "raw SQLite p50 " + ms(quantile(raw_both, 0.5)) + " ms",
                  quantile(raw_both, 0.5) / quantile(both, 0.5), "(detail)");
        print_row("ledger_append: append(issue) only",
                  "p50 " + ms(quantile(m.ledger_issue, 0.5)) + " ms, p99 " +
                      ms(quantile(m.ledger_issue, 0.99)) + " ms",
                  "raw row of the same size: p50 " + ms(quantile(m.raw_issue, 0.5)) + " ms",
                  quantile(m.raw_issue, 0.5) / quantile(m.ledger_issue, 0.5), "(detail)");
        print_row("ledger_append: append_cast only",
                  "p50 " + ms(quantile(m.ledger_cast, 0.5)) + " ms, p99 " +
                      ms(quantile(m.ledger_cast, 0.99)) + " ms",
                  "raw row of the same size: p50 " + ms(quantile(m.raw_cast, 0.5)) + " ms",
                  quantile(m.raw_cast, 0.5) / quantile(m.ledger_cast, 0.5), "(detail)");
        remove_set(dir / "append-ledger.sqlite");
        remove_set(dir / "append-raw.sqlite");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ledger_append: %s\n", e.what());
        return 1;
    }
    return 0;
}
