// first_failing_index: the smallest i in [0, n) for which check(i) is false, or n when every
// check holds, with the checks split over `threads` threads (the caller being one of them;
// 0 and 1 both mean only the caller).
//
// The indexes are cut into blocks (about 32 per thread), and each thread takes the next
// block in order as soon as it is done with its last, so a thread that starts late or runs
// on a slower core checks fewer. A thread stops at its first failure, or as soon as a failure
// before its next index is known: since blocks are taken in order, every index below the
// first failure found has been taken and is checked, and the answer is the one a loop in order
// would give; after a failure only the indexes below it are sure to have been checked. check
// must be safe to call concurrently for distinct indexes (each writes only its own slot) and
// must not throw.
//
// The four-argument form gives each thread state of its own (a copy of a prepared key, a
// scratch buffer): every thread that takes a block calls make_state() once, on itself, before
// its first check, and then check(state, i) for its indexes, in increasing order; make_state
// must be safe to call concurrently.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace ballotbox {

template <class MakeState, class Check>
std::size_t first_failing_index(std::size_t n, unsigned threads, MakeState&& make_state,
                                Check&& check) {
    if (n == 0)
        return 0;
    const std::size_t helpers = std::max<std::size_t>(1, std::min<std::size_t>(threads, n)) - 1;
    const std::size_t block = std::max<std::size_t>(1, n / ((helpers + 1) * 32));
    std::atomic<std::size_t> first_bad{n};
    std::atomic<std::size_t> next{0};
    auto take_blocks = [&] {
        std::optional<std::decay_t<decltype(make_state())>> state;
        for (;;) {
            const std::size_t from = next.fetch_add(block, std::memory_order_relaxed);
            if (from >= n || from >= first_bad.load(std::memory_order_relaxed))
                return;
            if (!state)
                state.emplace(make_state());
            const std::size_t to = std::min(n, from + block);
            for (std::size_t i = from; i < to && i < first_bad.load(std::memory_order_relaxed); ++i)
                if (!check(*state, i)) {
                    auto current = first_bad.load();
                    while (i < current && !first_bad.compare_exchange_weak(current, i)) {
                    }
                    return;
                }
        }
    };
    {
        std::vector<std::jthread> pool;
        pool.reserve(helpers);
        for (std::size_t t = 0; t < helpers; ++t)
            pool.emplace_back(take_blocks);
        take_blocks();
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
