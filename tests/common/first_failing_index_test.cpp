#include "common/first_failing_index.h"

#include <doctest/doctest.h>

#include <atomic>
#include <random>
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
