// training_clock: the test clock a training day may run on: it starts at a chosen instant
// and runs `speed` times faster than a base clock, so a poll day can be rehearsed in an
// hour. poll_day refuses it for a real (non-training) package.
//
//   now() = start + (base.now() - base_at_creation) * speed
//
// Borrows the base clock, which must outlive it. Thread-safe as far as the base clock is.
#pragma once

#include <cstdint>

#include "common/clock.h"
#include "common/result.h"

namespace ballotbox::appliance {

class training_clock final : public clock_source {
  public:
    // Errors: "appliance.bad_training_speed" (speed 1..3600).
    static result<training_clock> make(const clock_source& base, time_point start,
                                       std::uint32_t speed);
    time_point now() const override;
    std::uint32_t speed() const { return speed_; }

  private:
    training_clock(const clock_source& base, time_point start, std::uint32_t speed)
        : base_(&base), base_at_start_(base.now()), start_(start), speed_(speed) {}
    const clock_source* base_;
    time_point base_at_start_;
    time_point start_;
    std::uint32_t speed_;
};

}  // namespace ballotbox::appliance
