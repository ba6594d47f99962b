#include "cardio/reader_backoff.h"

#include <algorithm>

namespace ballotbox::cardio {

std::chrono::milliseconds backoff_delay(const backoff_policy& policy, unsigned attempt) {
    const auto maximum = std::max(policy.maximum, std::chrono::milliseconds(0));
    auto delay = std::clamp(policy.initial, std::chrono::milliseconds(0), maximum);
    for (unsigned i = 0; i < attempt && delay < maximum; ++i)
        delay = std::min(maximum, delay * 2 + std::chrono::milliseconds(delay.count() == 0));
    return delay;
}

void condition_backoff_waiter::wait_for(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [this] { return interrupted_; });
}

void condition_backoff_waiter::interrupt() {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    wake_.notify_all();
}

}  // namespace ballotbox::cardio
