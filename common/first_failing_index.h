// first_failing_index: the smallest i in [0, n) for which check(i) is false, or n when every
// check holds, with the checks split over `threads` threads (the caller being one of them;
// 0 and 1 both mean only the caller).
//
// Each thread takes one contiguous chunk of indexes in order and stops at its first failure,
// or as soon as a failure before its next index is known: the answer is the one a loop in
// order would give, and after a failure only the indexes below it are sure to have been
// checked. check must be safe to call concurrently for distinct indexes (each writes only
// its own slot) and must not throw.
//
// The four-argument form gives each thread state of its own (a copy of a prepared key, a
// scratch buffer): every thread with indexes to check calls make_state() once, on itself,
// and then check(state, i) for its indexes; make_state must be safe to call concurrently.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace ballotbox {

template <class MakeState, class Check>
std::size_t first_failing_index(std::size_t n, unsigned threads, MakeState&& make_state,
                                Check&& check) {
    std::atomic<std::size_t> first_bad{n};
    auto chunk_of = [&](std::size_t from, std::size_t to) {
        auto state = make_state();
        for (std::size_t i = from; i < to && i < first_bad.load(std::memory_order_relaxed); ++i)
            if (!check(state, i)) {
                auto current = first_bad.load();
                while (i < current && !first_bad.compare_exchange_weak(current, i)) {
                }
                return;
            }
    };
    if (n == 0)
        return 0;
    const std::size_t parts = std::max<std::size_t>(1, std::min<std::size_t>(threads, n));
    const std::size_t chunk = (n + parts - 1) / parts;
    {
        std::vector<std::jthread> pool;
        for (std::size_t t = 1; t < parts && t * chunk < n; ++t)
            pool.emplace_back(chunk_of, t * chunk, std::min(n, (t + 1) * chunk));
        chunk_of(0, std::min(n, chunk));
    }  // joined
    return first_bad.load();
}

template <class Check>
std::size_t first_failing_index(std::size_t n, unsigned threads, Check&& check) {
    struct no_state {};
    return first_failing_index(
        n, threads, [] { return no_state{}; }, [&](no_state&, std::size_t i) { return check(i); });
}

}  // namespace ballotbox
