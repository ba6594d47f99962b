#include "common/early_threads.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace ballotbox;

TEST_CASE("early_threads: each index runs on the thread that prepared it") {
    for (unsigned helpers : {0u, 1u, 3u}) {
        for (std::size_t count = 0; count <= helpers + 3; ++count) {
            CAPTURE(helpers);
            CAPTURE(count);
            const std::size_t slots = helpers + 3;
            std::vector<std::thread::id> prepared_on(slots), worked_on(slots);
            std::vector<int> runs(slots, 0);
            early_threads team(helpers,
                               [&](std::size_t t) { prepared_on[t] = std::this_thread::get_id(); });
            team.run(count, [&](std::size_t t) {
                worked_on[t] = std::this_thread::get_id();
                ++runs[t];
            });
            // run() has joined every helper: all writes are visible here.
            for (std::size_t t = 0; t < slots; ++t) {
                CAPTURE(t);
                CHECK(runs[t] == (t < count ? 1 : 0));
                if (t > 0 && t <= helpers) {
                    CHECK(prepared_on[t] != std::thread::id{});
                    CHECK(prepared_on[t] != std::this_thread::get_id());
                }
            }
            if (count > 0)
                CHECK(worked_on[0] == std::this_thread::get_id());
            for (std::size_t t = 1; t < count; ++t)
                CHECK(worked_on[t] == (t <= helpers ? prepared_on[t] : std::this_thread::get_id()));
        }
    }
}

TEST_CASE("early_threads: a team never run releases and joins its helpers") {
    std::atomic<int> prepared{0};
    {
        early_threads team(4, [&](std::size_t) { ++prepared; });
    }
    CHECK(prepared.load() == 4);
}
