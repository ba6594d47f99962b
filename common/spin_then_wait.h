// spin_then_wait: waits until an atomic's value satisfies a condition, spinning for a short
// while before it blocks.
//
// On the VMs the appliance and the auditors' machines run on, a thread blocked in a futex is
// woken tens to hundreds of microseconds after the notify (bench/README.md, eighth and ninth
// sessions); a hand-over between two threads that are both busy a few milliseconds loses that
// much each time. spin_then_wait(value, done, spin) re-reads value until done(v) holds, for
// at most `spin` of wall time, then falls back to value.wait(), so a long wait costs no CPU.
// The thread that changes the value must call notify_all() after the store.
//
// Reads with acquire order: what the storing thread wrote before a release store is visible
// once done(v) holds. Thread-safe as std::atomic is; done must not throw.
#pragma once

#include <atomic>
#include <chrono>

namespace ballotbox {

inline constexpr std::chrono::microseconds default_spin_before_blocking{1000};

template <class T, class Done>
T spin_then_wait(const std::atomic<T>& value, Done done,
                 std::chrono::microseconds spin = default_spin_before_blocking) {
    const auto deadline = std::chrono::steady_clock::now() + spin;
    bool spinning = spin.count() > 0;
    for (unsigned reads = 1;; ++reads) {
        const T v = value.load(std::memory_order_acquire);
        if (done(v))
            return v;
        // The clock is read once every 64 loads: it costs more than a load.
        if (spinning && reads % 64 == 0)
            spinning = std::chrono::steady_clock::now() < deadline;
        if (!spinning)
            value.wait(v, std::memory_order_acquire);  // returns once value differs from v
    }
}

}  // namespace ballotbox
