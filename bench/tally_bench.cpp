// tally_bench: 10,223 precinct protocols verified on arrival and added up (issue 7), side by
// side in the same run with `openssl speed -seconds 3 ed25519`'s verify rate.
//
// Usage: tally_bench [REFERENCE_DIR] [THREADS]. Generates the 2023 load (seed 2023) into a
// fresh temporary folder, loads the 10,223 packages (timed separately: that is setup), then
// times verify_all + make_tally. Each protocol costs two Ed25519 verifications (protocol.json
// and checkpoint.txt); the ratio printed is the tally's time per protocol over the time of
// those two verifications at openssl's rate on all cores (goal: <= 2).
// Prints rows of the bench/README.md table ("| benchmark | measured | peer | ratio | goal |").
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "tally/tally_report.h"
#include "tools/protocol-generator/generator.h"

namespace fs = std::filesystem;
using namespace ballotbox;
using clock_type = std::chrono::steady_clock;

namespace {

double since(clock_type::time_point t) {
    return std::chrono::duration<double>(clock_type::now() - t).count();
}

// CPU time of the whole process (all threads), seconds: `openssl speed` divides by CPU time
// too (unless -elapsed), so cost per protocol compares like with like on a busy machine.
double cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Verifications per second for one core, from `openssl speed -seconds 3 ed25519`
// ("... sign verify sign/s verify/s" then "253 bits EdDSA (Ed25519) <sign s> <verify s> <sign/s>
// <verify/s>").
double openssl_verify_rate() {
    FILE* p = ::popen("openssl speed -seconds 3 ed25519 2>/dev/null", "r");
    if (!p)
        return 0;
    char line[512];
    double rate = 0;
    while (std::fgets(line, sizeof line, p)) {
        std::string s(line);
        auto at = s.find("(Ed25519)");
        if (at == std::string::npos)
            continue;
        double sign_s = 0, verify_s = 0, sign_rate = 0, verify_rate = 0;
        if (std::sscanf(s.c_str() + at + 9, " %lfs %lfs %lf %lf", &sign_s, &verify_s, &sign_rate,
                        &verify_rate) == 4)
            rate = verify_rate;
    }
    ::pclose(p);
    return rate;
}

void row(const std::string& name, const std::string& measured, const std::string& peer,
         double ratio, const std::string& goal) {
    std::printf("| %s | %s | %s | %.2f | %s |\n", name.c_str(), measured.c_str(), peer.c_str(),
                ratio, goal.c_str());
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path reference =
        argc > 1 ? fs::path(argv[1]) : fs::path("/work/shared/elections/kz-2023-majilis");
    const unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2]))
                                      : std::max(1u, std::thread::hardware_concurrency());
    auto options = generator::kz_2023_options(reference);
    if (!options) {
        std::fprintf(stderr, "tally_bench: %s\n", options.err().message.c_str());
        return 1;
    }
    char tmpl[] = "/tmp/ballotbox-tally-bench-XXXXXX";
    if (!::mkdtemp(tmpl))
        return 1;
    const fs::path dir = tmpl;
    options->stations = 10223;
    options->seed = 2023;
    options->threads = threads;
    options->out_dir = dir;
    auto t0 = clock_type::now();
    double c0 = cpu_seconds();
    auto gen = generator::generate(*options);
    const double generate_s = since(t0);
    const double generate_cpu = cpu_seconds() - c0;
    if (!gen) {
        std::fprintf(stderr, "tally_bench: %s\n", gen.err().message.c_str());
        return 1;
    }
    auto key = crypto::ed25519_public_key::load(gen->commission_public_key);
    std::vector<fs::path> packages, exports;
    for (const auto& id : gen->station_ids) {
        packages.push_back(gen->packages_dir / (id + ".json"));
        exports.push_back(gen->exports_dir / id);
    }
    t0 = clock_type::now();
    c0 = cpu_seconds();
    auto election = tally::load_packages(packages, *key, threads);
    const double packages_s = since(t0);
    const double packages_cpu = cpu_seconds() - c0;
    auto registry = tally::station_registry::load(gen->registry);
    if (!election || !registry) {
        std::fprintf(stderr, "tally_bench: cannot load the generated election\n");
        return 1;
    }
    // Warm the page cache the same way for every run: the first run reads the files.
    (void)tally::verify_all(exports, tally::verify_context{*election, *registry}, threads);
    t0 = clock_type::now();
    c0 = cpu_seconds();
    auto report = tally::make_tally(
        *election,
        tally::verify_all(exports, tally::verify_context{*election, *registry}, threads));
    const double tally_s = since(t0);
    const double tally_cpu = cpu_seconds() - c0;
    if (!report || report->counted.size() != exports.size()) {
        std::fprintf(stderr, "tally_bench: the tally did not count every protocol\n");
        return 1;
    }
    const double rate = openssl_verify_rate();
    const double n = static_cast<double>(exports.size());
    const double verify_us = rate > 0 ? 1e6 / rate : 0;  // one verification, one core
    char measured[200], peer[200];
    // Cost: CPU time per protocol (all threads) against two verifications' CPU time.
    std::snprintf(measured, sizeof measured, "%.1f us CPU/protocol (%.1f s CPU for 10,223)",
                  tally_cpu / n * 1e6, tally_cpu);
    std::snprintf(peer, sizeof peer, "openssl speed ed25519: %.0f verify/s = 2 x %.1f us", rate,
                  verify_us);
    row("tally: 10,223 protocols verified and added up, CPU cost", measured, peer,
        verify_us > 0 ? (tally_cpu / n * 1e6) / (2 * verify_us) : 0, "<= 2");
    // Wall time on `threads` threads against two verifications spread over the same cores.
    std::snprintf(measured, sizeof measured, "%.2f s wall = %.1f us/protocol (%u threads)", tally_s,
                  tally_s / n * 1e6, threads);
    std::snprintf(peer, sizeof peer, "2 verifies on %u cores = %.1f us", threads,
                  2 * verify_us / threads);
    row("tally: 10,223 protocols verified and added up, wall", measured, peer,
        verify_us > 0 ? (tally_s / n * 1e6) / (2 * verify_us / threads) : 0, "<= 2");
    std::snprintf(measured, sizeof measured, "%.1f us CPU/package (%.2f s wall, %u threads)",
                  packages_cpu / n * 1e6, packages_s, threads);
    std::snprintf(peer, sizeof peer, "1 verify = %.1f us", verify_us);
    row("tally setup: 10,223 signed packages loaded", measured, peer,
        verify_us > 0 ? (packages_cpu / n * 1e6) / verify_us : 0, "(setup, no goal)");
    std::snprintf(measured, sizeof measured, "%.2f s wall, %.2f s CPU (%u threads)", generate_s,
                  generate_cpu, threads);
    row("protocol generator: 10,223 signed exports + packages", measured, "-", 0,
        "well under 60 s");
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}
