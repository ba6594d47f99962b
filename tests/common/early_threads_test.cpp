#include "common/early_threads.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
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
            {
                early_threads team(
                    helpers, [&](std::size_t t) { prepared_on[t] = std::this_thread::get_id(); });
                team.run(count, [&](std::size_t t) {
                    worked_on[t] = std::this_thread::get_id();
                    ++runs[t];
                });
                // run() has waited for every work(t): its writes are visible here. A helper
                // without work may still be preparing; the destructor waits for it.
                for (std::size_t t = 0; t < slots; ++t) {
                    CAPTURE(t);
                    CHECK(runs[t] == (t < count ? 1 : 0));
                }
            }
            for (std::size_t t = 1; t <= helpers; ++t) {
                CAPTURE(t);
                CHECK(prepared_on[t] != std::thread::id{});
                CHECK(prepared_on[t] != std::this_thread::get_id());
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

TEST_CASE("early_threads: run() waits for slow work, and after(t) runs once on every helper") {
    for (std::size_t count : {0u, 1u, 2u, 3u, 6u}) {
        CAPTURE(count);
        const unsigned helpers = 3;
        std::vector<std::thread::id> prepared_on(helpers + 1), after_on(helpers + 1);
        std::vector<int> afters(helpers + 1, 0);
        std::vector<int> finished(count, 0);
        {
            early_threads team(helpers,
                               [&](std::size_t t) { prepared_on[t] = std::this_thread::get_id(); });
            team.run(
                count,
                [&](std::size_t t) {
                    // A helper's work outlasts the caller's by far more than run()'s spin.
                    if (t > 0 && t <= helpers)
                        std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    finished[t] = 1;
                },
                [&](std::size_t t) {
                    after_on[t] = std::this_thread::get_id();
                    ++afters[t];
                });
            for (std::size_t t = 0; t < count; ++t) {
                CAPTURE(t);
                CHECK(finished[t] == 1);
            }
        }  // the destructor has waited for every after(t)
        CHECK(afters[0] == 0);
        for (std::size_t t = 1; t <= helpers; ++t) {
            CAPTURE(t);
            CHECK(afters[t] == 1);
            CHECK(after_on[t] == prepared_on[t]);
        }
    }
}

TEST_CASE("early_threads: a team never run runs no after()") {
    std::atomic<int> prepared{0};
    {
        early_threads team(2, [&](std::size_t) { ++prepared; });
    }
    CHECK(prepared.load() == 2);
}
