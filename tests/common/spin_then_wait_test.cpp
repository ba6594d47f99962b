#include "common/spin_then_wait.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace ballotbox;
using namespace std::chrono_literals;

namespace {

// Stores 1, 2 and 3 into value, `pause` apart, notifying after each store.
std::jthread count_to_three(std::atomic<int>& value, std::chrono::milliseconds pause) {
    return std::jthread([&value, pause] {
        for (int v = 1; v <= 3; ++v) {
            std::this_thread::sleep_for(pause);
            value.store(v, std::memory_order_release);
            value.notify_all();
        }
    });
}

}  // namespace

TEST_CASE("spin_then_wait: a condition that already holds returns at once, with the value") {
    std::atomic<int> value{7};
    CHECK(spin_then_wait(
              value, [](int v) { return v == 7; }, 0us) == 7);
    CHECK(spin_then_wait(value, [](int v) { return v > 0; }) == 7);
}

TEST_CASE("spin_then_wait: waits through values that do not satisfy the condition") {
    // Without spinning (blocks at once), spinning shorter than the wait (spins, then blocks),
    // and spinning longer than the whole wait (never blocks).
    for (auto spin : {0us, 1000us, 10'000'000us}) {
        CAPTURE(spin.count());
        std::atomic<int> value{0};
        const auto start = std::chrono::steady_clock::now();
        auto writer = count_to_three(value, 5ms);
        CHECK(spin_then_wait(
                  value, [](int v) { return v == 3; }, spin) == 3);
        CHECK(std::chrono::steady_clock::now() - start >= 15ms);
    }
}

TEST_CASE("spin_then_wait: what was written before the release store is visible after") {
    std::atomic<int> ready{0};
    int payload = 0;
    std::jthread writer([&] {
        std::this_thread::sleep_for(2ms);
        payload = 42;
        ready.store(1, std::memory_order_release);
        ready.notify_all();
    });
    spin_then_wait(ready, [](int v) { return v == 1; });
    CHECK(payload == 42);
}
