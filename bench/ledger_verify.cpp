// ledger_verify: verify() throughput in entries per second on a 3,000-ballot day and on a
// 1,000,000-entry ledger, side by side in the same run with SHA-256 over the same bytes:
//  - `openssl speed -seconds 3 -bytes N sha256`, N the mean bytes verify() hashes per entry
//    (each entry's hashing taken as one message of N bytes: the fewest calls possible), and
//  - EVP SHA-256 in this process over exactly the messages verify() hashes (same count, same
//    lengths: entry hashes, Merkle leaves and nodes, checkpoint roots, ballot leaves and the
//    box tree), with one reused context and a pre-fetched digest.
// Ratio = verify rate / SHA-256 rate, goal >= 0.5. The one-pass check (threads = 1) is rated
// per second of this thread's CPU time (as openssl speed's are per second of CPU time). verify()
// as shipped (threads = 0: the chain and the box cut into ranges, one per core) is rated per
// second of wall time, against one `openssl speed` process and against `openssl speed -multi
// P` (P = the cores verify used), which hashes on every core too; its CPU time over all
// threads is reported beside it, since cutting into ranges costs some extra work. The ledgers are
// built through the ledger API once and cached (ledger_bench_day.h); the checkpoints' Ed25519
// verifications (8 per ledger) are part of verify() but not of the SHA-256 peer.
//
// Usage: ledger_verify [cache-dir] [runs] [all|day|1m]
#include <openssl/evp.h>
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/bench_stats.h"
#include "bench/ledger_bench_day.h"
#include "crypto/sha256.h"
#include "ledger/ballot_box.h"
#include "ledger/entry.h"
#include "ledger/ledger_file.h"
#include "ledger/sqlite.h"
#include "ledger/verify.h"

using namespace ballotbox;
using namespace ballotbox::bench;
namespace fs = std::filesystem;

namespace {

template <typename T>
T must(result<T> r, const char* what) {
    if (!r)
        throw std::runtime_error(std::string(what) + ": " + r.err().message);
    return std::move(*r);
}

// The lengths of every SHA-256 message verify() hashes for this file (computed with the
// ledger's own encoders, so they are exact).
struct hash_work {
    std::uint64_t entries = 0;
    std::vector<std::uint32_t> lengths;
    std::uint64_t bytes = 0;
    void add(std::size_t n, std::uint64_t times = 1) {
        for (std::uint64_t i = 0; i < times; ++i)
            lengths.push_back(static_cast<std::uint32_t>(n));
        bytes += n * times;
    }
};

hash_work hashed_messages(const fs::path& file) {
    auto db = must(ledger::open_file_for_reading(file, ""), "open");
    hash_work w;
    auto st = must(ledger::sqlite::statement::prepare(
                       db, "SELECT seq, type, body, prev_hash FROM entries ORDER BY seq"),
                   "prepare");
    for (;;) {
        if (!must(st.step(), "step"))
            break;
        auto body = st.column_text(2);
        auto prev = st.column_blob(3);
        auto seq = static_cast<std::uint64_t>(st.column_int(0));
        w.add(
            ledger::entry_hash_input(seq, static_cast<std::uint32_t>(st.column_int(1)), body, prev)
                .size());
        w.add(33);  // the Merkle leaf: 0x00 || entry hash
        // Appending leaf seq completes one node per trailing one bit of seq.
        w.add(65, static_cast<std::uint64_t>(std::countr_one(seq)));
        ++w.entries;
    }
    auto cps =
        must(ledger::sqlite::statement::prepare(db, "SELECT tree_size FROM checkpoints"), "cps");
    for (;;) {
        if (!must(cps.step(), "step"))
            break;
        auto size = static_cast<std::uint64_t>(cps.column_int(0));
        w.add(65, static_cast<std::uint64_t>(std::popcount(size)) - 1);  // the root at that size
    }
    auto bs = must(ledger::sqlite::statement::prepare(
                       db, "SELECT box_key, record, booth_signature, token, source FROM ballots"),
                   "ballots");
    std::uint64_t ballots = 0;
    for (;;) {
        if (!must(bs.step(), "step"))
            break;
        ledger::stored_ballot b;
        auto key = bs.column_blob(0);
        std::copy(key.begin(), key.end(), b.key.begin());
        b.content = {bs.column_blob(1), bs.column_blob(2), bs.column_blob(3),
                     static_cast<ledger::ballot_source>(bs.column_int(4))};
        w.add(1 + ledger::ballot_leaf_input(b).size());
        ++ballots;
    }
    if (ballots > 1)
        w.add(65, ballots - 1);  // the box tree's interior nodes
    w.add(65, static_cast<std::uint64_t>(std::popcount(w.entries)) - 1);  // the final root
    return w;
}

// Seconds EVP SHA-256 takes over messages of these lengths (the best of three passes).
double evp_seconds(const hash_work& w) {
    std::uint32_t longest = 0;
    for (auto n : w.lengths)
        longest = std::max(longest, n);
    std::vector<unsigned char> data(longest, 0x5a);
    std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(EVP_MD_fetch(nullptr, "SHA256", nullptr),
                                                       EVP_MD_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    unsigned char out[32];
    unsigned int out_len = 0;
    double best = 1e30;
    for (int pass = 0; pass < 3; ++pass) {
        double t0 = thread_cpu_seconds();
        for (auto n : w.lengths) {
            EVP_DigestInit_ex(ctx.get(), md.get(), nullptr);
            EVP_DigestUpdate(ctx.get(), data.data(), n);
            EVP_DigestFinal_ex(ctx.get(), out, &out_len);
            data[0] ^= out[0];  // keep the work observable
        }
        best = std::min(best, thread_cpu_seconds() - t0);
    }
    return best;
}

// Seconds the project's own crypto::sha256 (crypto/sha256.h) takes over the same messages:
// how much of verify's time the wrapper alone explains.
double wrapper_seconds(const hash_work& w) {
    std::uint32_t longest = 0;
    for (auto n : w.lengths)
        longest = std::max(longest, n);
    bytes data(longest, 0x5a);
    double best = 1e30;
    for (int pass = 0; pass < 3; ++pass) {
        double t0 = thread_cpu_seconds();
        for (auto n : w.lengths)
            data[0] ^= crypto::sha256(byte_view(data.data(), n))[0];
        best = std::min(best, thread_cpu_seconds() - t0);
    }
    return best;
}

// Seconds SQLite alone takes to hand over every row and column verify() reads (entries in
// seq order, the ballot box in key order, the checkpoints), through the C API with no check
// and no hashing (the best of three passes): the floor of any verify() over this file format.
double read_seconds(const fs::path& file) {
    sqlite3* raw = nullptr;
    const std::string uri = "file:" + file.string() + "?mode=ro";
    if (sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) !=
        SQLITE_OK) {
        sqlite3_close(raw);
        throw std::runtime_error("cannot open " + file.string());
    }
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, sqlite3_close);
    const char* queries[] = {
        "SELECT seq, type, body, prev_hash, entry_hash FROM entries ORDER BY seq",
        "SELECT box_key, record, booth_signature, token, source FROM ballots ORDER BY box_key",
        "SELECT tree_size, kind, note FROM checkpoints ORDER BY tree_size"};
    double best = 1e30;
    std::uint64_t observed = 0;
    for (int pass = 0; pass < 3; ++pass) {
        double t0 = thread_cpu_seconds();
        for (const char* q : queries) {
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v3(db.get(), q, -1, 0, &st, nullptr) != SQLITE_OK)
                throw std::runtime_error(std::string("cannot prepare ") + q);
            const int columns = sqlite3_column_count(st);
            while (sqlite3_step(st) == SQLITE_ROW)
                for (int c = 0; c < columns; ++c) {
                    if (sqlite3_column_type(st, c) == SQLITE_INTEGER) {
                        observed += static_cast<std::uint64_t>(sqlite3_column_int64(st, c));
                    } else {
                        const auto* b =
                            static_cast<const unsigned char*>(sqlite3_column_blob(st, c));
                        const int n = sqlite3_column_bytes(st, c);
                        observed += n > 0 ? b[n - 1] : 0;
                    }
                }
            sqlite3_finalize(st);
        }
        best = std::min(best, thread_cpu_seconds() - t0);
    }
    if (observed == 0)
        throw std::runtime_error("nothing read from " + file.string());
    return best;
}

// Bytes per second `openssl speed` reports for SHA-256 over messages of n bytes, in one
// process or summed over `processes` (-multi).
double openssl_speed(std::size_t n, unsigned processes = 1) {
    std::string cmd = "openssl speed -seconds 3 -bytes " + std::to_string(n) +
                      (processes > 1 ? " -multi " + std::to_string(processes) : "") +
                      " sha256 2>/dev/null";
    std::unique_ptr<FILE, decltype(&pclose)> p(popen(cmd.c_str(), "r"), pclose);
    if (!p)
        throw std::runtime_error("cannot run openssl speed");
    char line[512];
    double kbytes = -1;
    while (std::fgets(line, sizeof line, p.get()))
        if (std::sscanf(line, "sha256 %lfk", &kbytes) == 1)
            break;
    if (kbytes <= 0)
        throw std::runtime_error("no sha256 line in the output of: " + cmd);
    return kbytes * 1000;
}

struct run_result {
    double verify_rate = 0, speed_rate = 0, evp_rate = 0, wrapper_rate = 0, read_rate = 0,
           verify_s = 0, wall_s = 0;
    // verify() as shipped, on every core.
    double shipped_rate = 0, shipped_wall_s = 0, shipped_cpu_s = 0, multi_rate = 0;
    unsigned threads = 1;
};

void measure(const fs::path& cache, const day_spec& spec, const std::string& label, int runs) {
    auto day = cached_day(cache, spec);
    std::fprintf(stderr, "ledger_verify: %s: %s (%s)\n", label.c_str(), day.file.c_str(),
                 day.from_cache
                     ? "cached"
                     : fmt("built through the ledger API in %.1f s", day.build_seconds).c_str());
    auto work = hashed_messages(day.file);
    const double mean = double(work.bytes) / double(work.entries);
    const auto n = static_cast<std::size_t>(mean + 0.5);
    ledger::verify_options one_pass;
    one_pass.threads = 1;
    (void)ledger::verify(day.file, one_pass);  // warm the page cache
    std::vector<run_result> all;
    // A small ledger verifies in milliseconds: each run repeats it for about half a second
    // (as openssl speed averages over its seconds) and takes the mean.
    auto w = bench_clock::now();
    (void)ledger::verify(day.file, one_pass);
    const int reps = std::max(1, static_cast<int>(0.5 / std::max(seconds_since(w), 1e-6)));
    for (int r = 0; r < runs; ++r) {
        run_result x;
        double t0 = thread_cpu_seconds();
        auto w0 = bench_clock::now();
        ledger::verify_report report;
        for (int i = 0; i < reps; ++i)
            report = ledger::verify(day.file, one_pass);
        x.verify_s = (thread_cpu_seconds() - t0) / reps;
        x.wall_s = seconds_since(w0) / reps;
        if (!report.complete())
            throw std::runtime_error(label + " does not verify complete: " + report.summary());
        if (report.threads != 1)
            throw std::runtime_error(label + ": the one-pass check ran on several threads");
        x.verify_rate = double(report.entries) / x.verify_s;
        double c1 = process_cpu_seconds();
        auto w1 = bench_clock::now();
        ledger::verify_report shipped;
        for (int i = 0; i < reps; ++i)
            shipped = ledger::verify(day.file);
        x.shipped_wall_s = seconds_since(w1) / reps;
        x.shipped_cpu_s = (process_cpu_seconds() - c1) / reps;
        if (!shipped.complete() || shipped.root != report.root)
            throw std::runtime_error(
                label + " verifies differently on several threads: " + shipped.summary());
        x.threads = shipped.threads;
        x.shipped_rate = double(shipped.entries) / x.shipped_wall_s;
        x.multi_rate = x.threads > 1 ? openssl_speed(n, x.threads) / mean : 0;
        x.speed_rate = openssl_speed(n) / mean;
        x.evp_rate = double(work.entries) / evp_seconds(work);
        x.wrapper_rate = double(work.entries) / wrapper_seconds(work);
        x.read_rate = double(work.entries) / read_seconds(day.file);
        std::fprintf(stderr,
                     "  run %d: verify %.0f entries/s (%.3f s CPU, %.3f s wall); openssl speed "
                     "%.0f; EVP %.0f; "
                     "crypto::sha256 %.0f; SQLite read alone %.0f; shipped on %u threads %.0f "
                     "entries/s (%.3f s wall, %.3f s CPU), openssl speed -multi %.0f\n",
                     r + 1, x.verify_rate, x.verify_s, x.wall_s, x.speed_rate, x.evp_rate,
                     x.wrapper_rate, x.read_rate, x.threads, x.shipped_rate, x.shipped_wall_s,
                     x.shipped_cpu_s, x.multi_rate);
        all.push_back(x);
    }
    auto med = [&](auto field) {
        std::vector<double> v;
        for (const auto& x : all)
            v.push_back(x.*field);
        return median(v);
    };
    double v = med(&run_result::verify_rate), s = med(&run_result::speed_rate),
           e = med(&run_result::evp_rate);
    std::string what = label + " (" + std::to_string(work.entries) + " entries, " +
                       fmt("%.0f B hashed/entry", mean) + ", " +
                       std::to_string(work.lengths.size()) + " SHA-256 calls)";
    const unsigned threads = all.front().threads;
    double sh = med(&run_result::shipped_rate);
    print_row("ledger_verify " + what + ", as shipped (" + std::to_string(threads) + " threads)",
              fmt("%.0f entries/s", sh) + fmt(" (%.3f s wall, ", med(&run_result::shipped_wall_s)) +
                  fmt("%.3f s CPU)", med(&run_result::shipped_cpu_s)),
              "openssl speed sha256 -bytes " + std::to_string(n) +
                  " (1 process): " + fmt("%.0f entries/s", s),
              sh / s, ">= 0.5");
    if (threads > 1) {
        double m = med(&run_result::multi_rate);
        print_row("ledger_verify " + label + ", as shipped, vs SHA-256 on as many cores",
                  fmt("%.0f entries/s", sh),
                  "openssl speed -multi " + std::to_string(threads) + " sha256 -bytes " +
                      std::to_string(n) + ": " + fmt("%.0f entries/s", m),
                  sh / m, "(per core)");
    }
    print_row("ledger_verify " + label + ", one pass (1 thread)",
              fmt("%.0f entries/s", v) + fmt(" (%.2f s CPU)", med(&run_result::verify_s)),
              "openssl speed sha256 -bytes " + std::to_string(n) + ": " + fmt("%.0f entries/s", s),
              v / s, "(detail)");
    print_row("ledger_verify " + label + ", one pass, vs in-process EVP", fmt("%.0f entries/s", v),
              "EVP SHA-256 over the same " + std::to_string(work.lengths.size()) +
                  " messages: " + fmt("%.0f entries/s", e),
              v / e, "(detail)");
    double c = med(&run_result::wrapper_rate);
    print_row("ledger_verify " + label + ": crypto::sha256 alone (detail)",
              "crypto::sha256 over the same messages: " + fmt("%.0f entries/s", c),
              fmt("EVP, pre-fetched digest, one context: %.0f entries/s", e), c / e,
              "(where the time goes)");
    // The floor of this file format on one core: SQLite handing over the rows, plus SHA-256
    // over exactly the messages the format requires, with nothing else.
    double rd = med(&run_result::read_rate);
    double floor_rate = 1.0 / (1.0 / rd + 1.0 / e);
    print_row("ledger_verify " + label + ": SQLite reading the rows alone (detail)",
              fmt("SQLite C API, all rows and columns: %.0f entries/s", rd),
              "openssl speed sha256 -bytes " + std::to_string(n) + ": " + fmt("%.0f entries/s", s),
              rd / s, "(a ceiling: the peer's whole budget vs the reading alone)");
    print_row("ledger_verify " + label + ", one pass, vs its format's floor",
              fmt("%.0f entries/s", v),
              "SQLite read alone + EVP over the same messages, nothing else: " +
                  fmt("%.0f entries/s", floor_rate),
              v / floor_rate, "(the software's own overhead)");
}

}  // namespace

int main(int argc, char** argv) {
    fs::path cache = argc > 1 ? fs::path(argv[1]) : fs::path(BALLOTBOX_BENCH_DATA_DIR);
    int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    try {
        std::string only = argc > 3 ? argv[3] : "all";
        if (only != "1m")
            measure(cache, {"day3000", 3000, 0}, "3,000-ballot day", runs);
        if (only != "day")
            measure(cache, {"1m", 0, 1000000}, "1,000,000-entry ledger", runs);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ledger_verify: %s\n", e.what());
        return 1;
    }
    return 0;
}
