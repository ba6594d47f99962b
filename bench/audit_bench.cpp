// audit_bench: `ballotbox audit` (audit::run, 2 threads) on a 3,000-ballot day and on larger
// synthetic ledgers, side by side in the same run with `openssl speed`:
//  - entries/s of the whole audit, against `openssl speed -seconds 3 -bytes N sha256` as
//    messages/s, N = the ledger file's bytes per entry (what the audit reads and hashes per
//    entry, ballots included);
//  - signatures/s of the booth-signature step (2 threads), against `openssl speed -seconds 3
//    ed25519` verifies/s (one core), and the whole audit's signatures (booth + checkpoints)
//    over its total time;
//  - the whole audit against its floor on one core with both primitives: SHA-256 over its
//    entries plus each of its Ed25519 verifications;
//  - entries/s of the chain part (from the package check to the consistency proofs: verify
//    with the audit's walk, on 2 threads), against the same SHA-256 rate. It hashes only:
//    every checkpoint signature is verified in the signature steps. Also paired run by run:
//    openssl speed's own loop (one EVP_Digest per N-byte message) run in this process right
//    before each run, for as many messages as the ledger has entries; the median of those
//    per-run ratios does not depend on how fast the machine was when openssl speed ran.
//  - in detail, what two cores give on this machine: `openssl speed -multi 2` against one.
// Ratios: audit rate / openssl rate; the goal is >= 0.5 for both (the audit bound by SHA-256
// and Ed25519 verification). Ledgers are built once through the ledger API
// (audit_bench_day.h) and cached in the data directory.
//
// Usage: audit_bench [data-dir] [runs] [ballots...]   (default: 3 runs of 3000 and 100000)
#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit.h"
#include "bench/audit_bench_day.h"
#include "bench/bench_stats.h"
#include "ledger/ledger_file.h"
#include "ledger/sqlite.h"

using namespace ballotbox;
using namespace ballotbox::bench;
namespace fs = std::filesystem;

namespace {

std::string command_output(const std::string& cmd) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    if (!p)
        throw std::runtime_error("cannot run " + cmd);
    std::array<char, 4096> buf{};
    while (auto n = fread(buf.data(), 1, buf.size(), p.get()))
        out.append(buf.data(), n);
    return out;
}

// Messages of `bytes` bytes per second (openssl prints thousands of bytes per second), on
// `processes` cores at once (openssl speed -multi) when more than one.
double openssl_sha256(std::size_t bytes, int processes = 1) {
    const std::string multi =
        processes > 1 ? " -multi " + std::to_string(processes) : std::string();
    auto out = command_output("openssl speed" + multi + " -seconds 3 -bytes " +
                              std::to_string(bytes) + " sha256 2>/dev/null");
    const std::regex line(R"(\nsha256\s+([0-9.]+)k)");
    std::string figure;  // the last line that matches: with -multi, the sum of the processes
    for (std::sregex_iterator m(out.begin(), out.end(), line), end; m != end; ++m)
        figure = (*m)[1];
    if (figure.empty())
        throw std::runtime_error("cannot read openssl speed sha256 output: " + out);
    return std::stod(figure) * 1000.0 / static_cast<double>(bytes);
}

double openssl_ed25519_verify() {
    auto out = command_output("openssl speed -seconds 3 ed25519 2>/dev/null");
    std::smatch m;
    if (!std::regex_search(
            out, m, std::regex(R"(\(Ed25519\)\s+[0-9.]+s\s+[0-9.]+s\s+([0-9.]+)\s+([0-9.]+))")))
        throw std::runtime_error("cannot read openssl speed ed25519 output: " + out);
    return std::stod(m[2]);
}

// CPU time of the whole process (all threads), in seconds.
double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Wall seconds, and CPU seconds of the process (both threads) for the same spans: on a
// shared machine wall time also counts other people's processes; openssl speed counts CPU.
struct run_figures {
    double total = 0, booth = 0, chain = 0;
    double total_cpu = 0, booth_cpu = 0, chain_cpu = 0;
    audit::audit_report report;
};

constexpr std::uint64_t max_voters_on_list = 100000;  // election/package_parser.cpp
constexpr std::uint64_t idle_runs_up_to = 10000;      // ballots: the idle runs are for small days

// Entries in the ledger file (its highest seq + 1), read with one query before the runs.
std::uint64_t stored_entries(const fs::path& ledger_path) {
    auto db = ledger::open_file_for_reading(ledger_path, "");
    if (!db)
        throw std::runtime_error("cannot open " + ledger_path.string() + ": " + db.err().message);
    auto st = ledger::sqlite::statement::prepare(*db, "SELECT max(seq) + 1 FROM entries");
    if (!st)
        throw std::runtime_error(st.err().message);
    auto row = st->step();
    if (!row || !*row)
        throw std::runtime_error("cannot count the entries of " + ledger_path.string());
    return static_cast<std::uint64_t>(st->column_int(0));
}

// The loop `openssl speed -bytes N sha256` times (apps/speed.c, OpenSSL 3: the digest fetched
// once, then one EVP_Digest call per N-byte message, the same buffer every time), run in this
// process right before each audit for as many messages as the ledger has entries: seconds.
// A peer this close in time moves with the machine's speed, which on this VM changes by up
// to half from one second to the next; main() checks its rate against openssl speed's own in
// the same run.
double openssl_loop_seconds(std::size_t bytes, std::uint64_t messages) {
    static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(
        EVP_MD_fetch(nullptr, "SHA256", nullptr), &EVP_MD_free);
    if (!md)
        throw std::runtime_error("OpenSSL has no SHA256");
    const std::vector<std::uint8_t> buffer(bytes, 0x5a);
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    const auto start = bench_clock::now();
    for (std::uint64_t i = 0; i < messages; ++i)
        if (EVP_Digest(buffer.data(), buffer.size(), out.data(), nullptr, md.get(), nullptr) != 1)
            throw std::runtime_error("EVP_Digest failed");
    return seconds_since(start);
}

run_figures audit_once(const audit_day_files& f, bool allow_list_overflow) {
    audit::audit_inputs in;
    in.ledger = f.ledger;
    in.package = f.package;
    in.commission_key = f.commission_key;
    in.threads = 2;
    auto start = bench_clock::now();
    auto start_cpu = process_cpu_seconds();
    auto last = start;
    auto last_cpu = start_cpu, chain_start_cpu = start_cpu;
    double booth = 0, chain = 0, booth_cpu = 0, chain_cpu = 0;
    bench_clock::time_point chain_start = start;
    in.on_check = [&](const audit::check_line& c) {
        auto now = bench_clock::now();
        auto now_cpu = process_cpu_seconds();
        if (c.id == "booth_signatures") {
            booth = std::chrono::duration<double>(now - last).count();
            booth_cpu = now_cpu - last_cpu;
        }
        if (c.id == "package_signature") {
            chain_start = now;
            chain_start_cpu = now_cpu;
        }
        if (c.id == "checkpoint_consistency") {
            chain = std::chrono::duration<double>(now - chain_start).count();
            chain_cpu = now_cpu - chain_start_cpu;
        }
        last = now;
        last_cpu = now_cpu;
    };
    auto r = audit::run(in);
    run_figures out{
        seconds_since(start), booth, chain, process_cpu_seconds() - start_cpu, booth_cpu, chain_cpu,
        std::move(r)};
    // A package lists at most 100,000 voters (election/package_parser.cpp), so a larger
    // synthetic day fails one check only: the recomputed protocol's "took part <= on the
    // list". Every other check has run by then but the last one (the final checkpoint,
    // already verified with the chain); anything else wrong stops the bench.
    const auto& failed = out.report.first_failure;
    const bool only_list_too_small =
        failed && failed->check == "tally" &&
        failed->found.find("took_part_within_list") != std::string::npos;
    if (out.report.exit_code() != 0 && !(allow_list_overflow && only_list_too_small))
        throw std::runtime_error("the bench ledger did not verify: " + audit::to_text(out.report));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        fs::path data = argc > 1 ? fs::path(argv[1]) : fs::path(BALLOTBOX_BENCH_DATA_DIR);
        int runs = argc > 2 ? std::atoi(argv[2]) : 3;
        std::vector<std::uint64_t> sizes;
        for (int i = 3; i < argc; ++i)
            sizes.push_back(std::strtoull(argv[i], nullptr, 10));
        if (sizes.empty())
            sizes = {3000, 100000};
        for (auto n : sizes) {
            std::fprintf(stderr, "audit_bench: ledger of %llu ballots...\n",
                         static_cast<unsigned long long>(n));
            auto files = audit_bench_day(data, n);
            if (files.build_seconds > 0)
                std::fprintf(stderr, "  built in %.1f s\n", files.build_seconds);
            std::vector<double> totals, booths, chains, totals_cpu, booths_cpu, chains_cpu;
            std::vector<double> peer_ratios, peer_rates;
            const auto entries = stored_entries(files.ledger);
            // N for every peer: the file's bytes per entry (what the audit reads per entry).
            const auto bytes_per_entry = static_cast<std::size_t>(
                fs::file_size(files.ledger) / std::max<std::uint64_t>(entries, 1));
            audit::audit_report report;
            for (int r = 0; r < runs; ++r) {
                const double peer = openssl_loop_seconds(bytes_per_entry, entries);
                auto f = audit_once(files, n > max_voters_on_list);
                peer_ratios.push_back(peer / f.chain);
                peer_rates.push_back(static_cast<double>(entries) / peer);
                totals.push_back(f.total);
                booths.push_back(f.booth);
                chains.push_back(f.chain);
                totals_cpu.push_back(f.total_cpu);
                booths_cpu.push_back(f.booth_cpu);
                chains_cpu.push_back(f.chain_cpu);
                report = std::move(f.report);
            }
            // The same audits, each after the process slept 20 ms (both cores idle, as when an
            // auditor runs the command once on a quiet machine): a core that has been idle
            // takes up to milliseconds on this VM to run a thread woken on it. Only for small
            // ledgers, whose chain part lasts a few milliseconds.
            std::vector<double> idle_chains;
            if (n <= idle_runs_up_to)
                for (int r = 0; r < runs; ++r) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    idle_chains.push_back(audit_once(files, false).chain);
                }
            if (n > max_voters_on_list)
                std::fprintf(stderr,
                             "  synthetic: more ballots than a package may list voters, so the "
                             "audit ends at the tally's took_part_within_list, as expected; "
                             "every check before it ran\n");
            auto total = median(totals), booth = median(booths), chain = median(chains);
            auto total_cpu = median(totals_cpu), booth_cpu = median(booths_cpu),
                 chain_cpu = median(chains_cpu);
            const auto& c = report.counts;
            // The peers, measured right after the audit runs.
            auto sha = openssl_sha256(bytes_per_entry);
            auto ed = openssl_ed25519_verify();
            auto sha_two_cores = openssl_sha256(bytes_per_entry, 2);
            double entries_rate = static_cast<double>(c.entries) / total;
            double chain_rate = static_cast<double>(c.entries) / chain;
            double sigs_total = static_cast<double>(c.booth_signatures_verified +
                                                    c.checkpoint_signatures_verified + 1);
            double booth_rate = static_cast<double>(c.booth_signatures_verified) / booth;
            std::printf(
                "| audit %llu ballots: entries/s (whole audit, %llu entries, %.2f s) | %.0f | "
                "openssl sha256 %zu-byte msgs/s %.0f | %.2f | - |\n",
                static_cast<unsigned long long>(n), static_cast<unsigned long long>(c.entries),
                total, entries_rate, bytes_per_entry, sha, entries_rate / sha);
            std::printf(
                "| audit %llu ballots: entries/s of the chain part (verify with the event walk, "
                "read-only open, "
                "consistency proofs; %.4f s) | %.0f | openssl sha256 %zu-byte msgs/s "
                "%.0f | %.2f | >= 0.5 |\n",
                static_cast<unsigned long long>(n), chain, chain_rate, bytes_per_entry, sha,
                chain_rate / sha);
            const double loop_rate = median(peer_rates);
            std::printf(
                "| audit %llu ballots: chain part, paired with openssl speed's loop (EVP_Digest "
                "per %zu-byte message) run in this process right before each run (median of %d "
                "per-run ratios) | %.0f entries/s | the loop: %.0f messages/s, median (%.2f of "
                "openssl speed's rate in this run) | %.2f | >= 0.5 |\n",
                static_cast<unsigned long long>(n), bytes_per_entry, runs, chain_rate, loop_rate,
                loop_rate / sha, median(peer_ratios));
            if (!idle_chains.empty()) {
                const double idle_rate = static_cast<double>(c.entries) / median(idle_chains);
                std::printf(
                    "| audit %llu ballots: chain part, each run after 20 ms idle (%d runs, median "
                    "%.4f s) | %.0f | openssl sha256 %zu-byte msgs/s %.0f | %.2f | (detail) |\n",
                    static_cast<unsigned long long>(n), runs, median(idle_chains), idle_rate,
                    bytes_per_entry, sha, idle_rate / sha);
            }
            std::printf(
                "| audit %llu ballots: what two cores give here: openssl speed -multi 2 sha256 "
                "%zu-byte msgs/s | %.0f | one process: %.0f | %.2f | (detail: 2 would be two "
                "whole cores) |\n",
                static_cast<unsigned long long>(n), bytes_per_entry, sha_two_cores, sha,
                sha_two_cores / sha);
            std::printf(
                "| audit %llu ballots: booth signatures/s (2 threads, %.2f s) | %.0f | openssl "
                "ed25519 verify/s (1 core) %.0f | %.2f | >= 0.5 |\n",
                static_cast<unsigned long long>(n), booth, booth_rate, ed, booth_rate / ed);
            std::printf(
                "| audit %llu ballots: all signatures / whole audit time | %.0f | openssl ed25519 "
                "verify/s %.0f | %.2f | - |\n",
                static_cast<unsigned long long>(n), sigs_total / total, ed,
                sigs_total / total / ed);
            // The whole audit against both its primitives: its floor on one core is SHA-256 over
            // its entries plus every Ed25519 verification it makes (booth, checkpoint and package
            // signatures); above 1 means the work is split over the cores.
            const double whole_floor = static_cast<double>(c.entries) / sha + sigs_total / ed;
            std::printf(
                "| audit %llu ballots: whole audit against both its primitives (%.2f s) | %llu "
                "entries + %.0f signatures | one core: openssl sha256 %zu-byte msgs at %.0f/s + "
                "ed25519 verifies at %.0f/s = %.2f s | %.2f | >= 0.5 |\n",
                static_cast<unsigned long long>(n), total,
                static_cast<unsigned long long>(c.entries), sigs_total, bytes_per_entry, sha, ed,
                whole_floor, whole_floor / total);
            // The same per second of CPU time (both threads counted), as openssl speed counts.
            std::printf(
                "| audit %llu ballots: entries per CPU-second (whole audit, %.2f s CPU) | %.0f | "
                "openssl sha256 %zu-byte msgs/s %.0f | %.2f | - |\n",
                static_cast<unsigned long long>(n), total_cpu,
                static_cast<double>(c.entries) / total_cpu, bytes_per_entry, sha,
                static_cast<double>(c.entries) / total_cpu / sha);
            std::printf(
                "| audit %llu ballots: chain part, entries per CPU-second (%.2f s CPU) | %.0f | "
                "openssl sha256 %zu-byte msgs/s %.0f | %.2f | (detail) |\n",
                static_cast<unsigned long long>(n), chain_cpu,
                static_cast<double>(c.entries) / chain_cpu, bytes_per_entry, sha,
                static_cast<double>(c.entries) / chain_cpu / sha);
            std::printf(
                "| audit %llu ballots: booth signatures per CPU-second (%.2f s CPU, 2 threads) | "
                "%.0f | openssl ed25519 verify/s (1 core) %.0f | %.2f | (detail) |\n",
                static_cast<unsigned long long>(n), booth_cpu,
                static_cast<double>(c.booth_signatures_verified) / booth_cpu, ed,
                static_cast<double>(c.booth_signatures_verified) / booth_cpu / ed);
            std::fflush(stdout);
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "audit_bench: %s\n", e.what());
        return 1;
    }
}
