// bench_stats: small helpers the ledger and card benchmarks share: a monotonic stopwatch,
// percentiles and medians over samples, and the table row every benchmark prints.
//
// A row is one markdown table line, "| benchmark | measured | limit or peer | ratio | goal |",
// so bench/run can collect them into bench/README.md as they are. Header-only, no state;
// not thread-safe (each benchmark is single-threaded).
#pragma once

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace ballotbox::bench {

using bench_clock = std::chrono::steady_clock;

inline double seconds_since(bench_clock::time_point start) {
    return std::chrono::duration<double>(bench_clock::now() - start).count();
}

// CPU time of the calling thread (user + system), in seconds: for CPU-bound work on a
// shared machine, where wall time also counts other people's processes. `openssl speed`
// divides by CPU time too (unless -elapsed).
inline double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU time of the whole process (every thread), in seconds: what work spread over threads
// costs in all.
inline double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The q-quantile (0..1) of samples, nearest-rank; 0 for no samples.
inline double quantile(std::vector<double> samples, double q) {
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    auto rank = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(rank, samples.size() - 1)];
}

inline double median(std::vector<double> samples) {
    return quantile(std::move(samples), 0.5);
}

inline double sum(const std::vector<double>& samples) {
    double s = 0;
    for (double x : samples)
        s += x;
    return s;
}

inline std::string fmt(const char* format, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, value);
    return buf;
}

// Prints one result row of the benchmark table.
inline void print_row(const std::string& name, const std::string& measured, const std::string& peer,
                      double ratio, const std::string& goal) {
    std::printf("| %s | %s | %s | %.2f | %s |\n", name.c_str(), measured.c_str(), peer.c_str(),
                ratio, goal.c_str());
    std::fflush(stdout);
}

}  // namespace ballotbox::bench
