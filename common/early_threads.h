// early_threads: helper threads started before their work is known, so that their start (a
// thread is tens to hundreds of microseconds from creation to running on an idle core of a
// VM) and their own preparation overlap with the caller's.
//
// early_threads team(helpers, prepare) starts `helpers` threads at once; helper t (1 to
// helpers) runs prepare(t) and then waits. team.run(count, work) then runs work(0) on the
// calling thread and work(t) on helper t for every t < count, and returns when all are done;
// helpers with t >= count do no work, and indexes past the last helper run on the caller
// after work(0). Each helper's index runs on that helper, so what prepare(t) set up is there
// for work(t). If run() is never called, the destructor releases the helpers
// with nothing to do; it joins them in every case.
//
// prepare and work must not throw (errors go into the caller's per-index slots as values)
// and must write only their own index's slots. run() may be called once. Not thread safe:
// one owner thread calls run() and destroys the team.
#pragma once

#include <cstddef>
#include <functional>
#include <latch>
#include <thread>
#include <vector>

namespace ballotbox {

class early_threads {
  public:
    early_threads(unsigned helpers, std::function<void(std::size_t)> prepare)
        : prepare_(std::move(prepare)) {
        pool_.reserve(helpers);
        for (unsigned t = 1; t <= helpers; ++t)
            pool_.emplace_back([this, t] {
                prepare_(t);
                released_.wait();
                if (t < count_)
                    work_(t);
            });
    }
    early_threads(const early_threads&) = delete;
    early_threads& operator=(const early_threads&) = delete;
    ~early_threads() {
        release(0, nullptr);
        pool_.clear();  // joins
    }

    void run(std::size_t count, std::function<void(std::size_t)> work) {
        release(count, std::move(work));
        if (count > 0)
            work_(0);
        for (std::size_t t = pool_.size() + 1; t < count; ++t)
            work_(t);
        pool_.clear();  // joins: every work(t) has returned
    }

  private:
    void release(std::size_t count, std::function<void(std::size_t)> work) {
        if (done_)
            return;
        done_ = true;
        count_ = count;
        work_ = std::move(work);
        released_.count_down();  // publishes count_ and work_ to the helpers
    }

    std::function<void(std::size_t)> prepare_;
    std::function<void(std::size_t)> work_;
    std::size_t count_ = 0;
    bool done_ = false;
    std::latch released_{1};
    std::vector<std::jthread> pool_;  // last: joined before the members above are destroyed
};

}  // namespace ballotbox
