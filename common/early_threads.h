// early_threads: helper threads started before their work is known, so that their start (a
// thread is tens to hundreds of microseconds from creation to running on an idle core of a
// VM) and their own preparation overlap with the caller's.
//
// early_threads team(helpers, prepare) starts `helpers` threads at once; helper t (1 to
// helpers) runs prepare(t) and then waits. team.run(count, work, after) then runs work(0) on
// the calling thread and work(t) on helper t for every t < count, and returns once every
// work(t) has returned; helpers with t >= count do no work, and indexes past the last helper
// run on the caller after work(0). Each helper's index runs on that helper, so what
// prepare(t) set up is there for work(t). Then every helper t runs after(t), if given, whether
// or not it had work: that is where a helper releases what prepare(t) made, on its own thread
// and outside the caller's wait. run() does not wait for after(t); the destructor does.
//
// The hand-overs (the release of the helpers, the end of their work) spin briefly before
// blocking (spin_then_wait.h): a blocked thread on a VM wakes up to hundreds of microseconds
// late, which is a tenth of a small ledger's verification.
//
// If run() is never called, the destructor releases the helpers with nothing to do (they
// still run no after()); it joins them in every case. prepare, work and after must not throw
// (errors go into the caller's per-index slots as values) and must write only their own
// index's slots. run() may be called once. Not thread safe: one owner thread calls run() and
// destroys the team.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

#include "common/spin_then_wait.h"

namespace ballotbox {

class early_threads {
  public:
    early_threads(unsigned helpers, std::function<void(std::size_t)> prepare)
        : prepare_(std::move(prepare)) {
        pool_.reserve(helpers);
        for (unsigned t = 1; t <= helpers; ++t)
            pool_.emplace_back([this, t] { helper(t); });
    }
    early_threads(const early_threads&) = delete;
    early_threads& operator=(const early_threads&) = delete;
    ~early_threads() {
        release(0, nullptr, nullptr);
        pool_.clear();  // joins
    }

    // The helpers started (run's indexes 1 to helpers() run on them).
    std::size_t helpers() const { return pool_.size(); }

    void run(std::size_t count, std::function<void(std::size_t)> work,
             std::function<void(std::size_t)> after = nullptr) {
        release(count, std::move(work), std::move(after));
        if (count > 0)
            work_(0);
        for (std::size_t t = pool_.size() + 1; t < count; ++t)
            work_(t);
        spin_then_wait(working_helpers_, [](unsigned left) { return left == 0; });
    }

  private:
    void helper(std::size_t t) {
        prepare_(t);
        spin_then_wait(released_, [](bool released) { return released; });
        if (!work_)
            return;  // released by the destructor: run() was never called
        if (t < count_) {
            work_(t);
            if (working_helpers_.fetch_sub(1, std::memory_order_acq_rel) == 1)
                working_helpers_.notify_all();
        }
        if (after_)
            after_(t);
    }

    void release(std::size_t count, std::function<void(std::size_t)> work,
                 std::function<void(std::size_t)> after) {
        if (released_.load(std::memory_order_relaxed))
            return;
        count_ = count;
        work_ = std::move(work);
        after_ = std::move(after);
        const auto helpers_with_work = count > 1 ? std::min(count - 1, pool_.size()) : 0;
        working_helpers_.store(static_cast<unsigned>(helpers_with_work), std::memory_order_relaxed);
        // The release store publishes count_, work_, after_ and working_helpers_.
        released_.store(true, std::memory_order_release);
        released_.notify_all();
    }

    std::function<void(std::size_t)> prepare_;
    std::function<void(std::size_t)> work_;
    std::function<void(std::size_t)> after_;
    std::size_t count_ = 0;
    std::atomic<bool> released_{false};
    std::atomic<unsigned> working_helpers_{0};
    std::vector<std::jthread> pool_;  // last: joined before the members above are destroyed
};

}  // namespace ballotbox
