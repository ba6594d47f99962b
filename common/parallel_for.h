// parallel_for: runs work(i) once for every i in [0, count) on `threads` threads, the
// calling thread being one of them (0 and 1 both mean: only the caller), and returns when
// every index is done. Indexes are handed out one at a time, so uneven items balance.
//
// work must be safe to call concurrently for distinct indexes (each writes only its own
// slot) and must not throw: errors go into the caller's per-index slots as values.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace ballotbox {

template <class Work>
void parallel_for(std::size_t count, unsigned threads, Work&& work) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < count; i = next++)
            work(i);
    };
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < std::max(1u, threads); ++t)
        pool.emplace_back(worker);
    worker();
}

}  // namespace ballotbox
