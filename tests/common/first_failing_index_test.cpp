#include "common/first_failing_index.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

using namespace ballotbox;

TEST_CASE("first_failing_index: the first failure a loop in order would find") {
    std::mt19937 rng(7);
    for (unsigned threads : {0u, 1u, 2u, 3u, 8u}) {
        for (std::size_t n : {0u, 1u, 2u, 5u, 17u, 64u, 1000u}) {
            for (int trial = 0; trial < 20; ++trial) {
                CAPTURE(threads);
                CAPTURE(n);
                std::vector<char> ok(n, 1);
                // None, one or several failures, anywhere (several chunks may fail at once).
                const int failures = trial % 4;
                for (int f = 0; f < failures && n > 0; ++f)
                    ok[std::uniform_int_distribution<std::size_t>(0, n - 1)(rng)] = 0;
                std::size_t expected = n;
                for (std::size_t i = 0; i < n; ++i)
                    if (!ok[i]) {
                        expected = i;
                        break;
                    }
                std::vector<std::atomic<int>> calls(n);
                auto got = first_failing_index(n, threads, [&](std::size_t i) {
                    ++calls[i];
                    return ok[i] != 0;
                });
                CHECK(got == expected);
                for (std::size_t i = 0; i < n; ++i) {
                    CHECK(calls[i].load() <= 1);  // no index is checked twice
                    if (i <= expected && i < n)
                        CHECK(calls[i].load() == 1);  // every index up to the answer is checked
                }
            }
        }
    }
}

TEST_CASE("first_failing_index: each checking thread makes its state once and uses only its own") {
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
        for (std::size_t n : {0u, 1u, 2u, 7u, 100u}) {
            CAPTURE(threads);
            CAPTURE(n);
            struct state {
                std::thread::id made_on;
                int uses = 0;
            };
            std::atomic<int> made{0};
            std::vector<std::thread::id> checked_on(n);
            std::vector<int> use_number(n, 0);
            auto got = first_failing_index(
                n, threads,
                [&] {
                    ++made;
                    return state{std::this_thread::get_id()};
                },
                [&](state& s, std::size_t i) {
                    checked_on[i] = s.made_on;
                    use_number[i] = ++s.uses;
                    return s.made_on == std::this_thread::get_id();
                });
            CHECK(got == n);  // every check ran on the thread that made its state
            // One state per thread with indexes (none when n == 0), used for its indexes in
            // increasing order: the k-th index a thread checked is its state's k-th use.
            const std::size_t most = n == 0 ? 0 : std::min<std::size_t>(std::max(threads, 1u), n);
            CHECK(made.load() <= static_cast<int>(most));
            CHECK(made.load() >= (n == 0 ? 0 : 1));
            std::map<std::thread::id, int> uses;
            for (std::size_t i = 0; i < n; ++i)
                CHECK(use_number[i] == ++uses[checked_on[i]]);
            CHECK(uses.size() == static_cast<std::size_t>(made.load()));
        }
    }
}

TEST_CASE("first_failing_index: a thread held up leaves the other indexes to the free ones") {
    // Whichever thread takes index 0 is held there until three quarters of the indexes have
    // been checked: only threads that take whatever is left can do that meanwhile. Indexes
    // handed out in advance (half to each thread) would hold it until the time-out.
    for (unsigned threads : {2u, 3u}) {
        CAPTURE(threads);
        const std::size_t n = 4000;
        std::mutex guard;
        std::condition_variable progress;
        std::size_t checked = 0;
        bool waited_out = false;
        auto got = first_failing_index(n, threads, [&](std::size_t i) {
            std::unique_lock lock(guard);
            ++checked;
            progress.notify_all();
            if (i == 0 && !progress.wait_for(lock, std::chrono::seconds(30),
                                             [&] { return checked >= n * 3 / 4; }))
                waited_out = true;
            return i != n - 1;
        });
        CHECK_FALSE(waited_out);
        CHECK(got == n - 1);
        CHECK(checked == n);
    }
}
