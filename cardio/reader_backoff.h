// reader_backoff: how long reader_monitor waits between attempts to reach pcscd again, and
// the seam through which it waits.
//
// backoff_delay(policy, n) is initial * 2^n, capped at maximum (n counts failed attempts
// since the service was last reachable, from 0). backoff_waiter is the seam: production uses
// condition_backoff_waiter (a real wait on a condition variable that interrupt() ends at
// once); tests substitute a waiter that records the delays asked for and returns quickly.
//
// Thread safety: wait_for() is called from the monitor thread only; interrupt() from any
// thread, and once called every later wait_for() returns at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace ballotbox::cardio {

struct backoff_policy {
    std::chrono::milliseconds initial{100};
    std::chrono::milliseconds maximum{5000};
};

std::chrono::milliseconds backoff_delay(const backoff_policy& policy, unsigned attempt);

class backoff_waiter {
  public:
    virtual ~backoff_waiter() = default;
    virtual void wait_for(std::chrono::milliseconds delay) = 0;
    virtual void interrupt() = 0;
};

class condition_backoff_waiter final : public backoff_waiter {
  public:
    void wait_for(std::chrono::milliseconds delay) override;
    void interrupt() override;

  private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool interrupted_ = false;
};

}  // namespace ballotbox::cardio
