#include "appliance/training_clock.h"

namespace ballotbox::appliance {

result<training_clock> training_clock::make(const clock_source& base, time_point start,
                                            std::uint32_t speed) {
    if (speed < 1 || speed > 3600)
        return make_error("appliance.bad_training_speed",
                          "The training clock's speed must be 1 to 3600 times real time.");
    return training_clock(base, start, speed);
}

time_point training_clock::now() const {
    auto elapsed = base_->now() - base_at_start_;
    return start_ + elapsed * static_cast<std::int64_t>(speed_);
}

}  // namespace ballotbox::appliance
