#include "appliance/daemon/daemon_clock.h"

namespace ballotbox::daemon {

daemon_clock::daemon_clock(std::optional<training_clock_start> start, std::uint32_t speed)
    : start_(start), speed_(speed) {}

status daemon_clock::arm(std::string_view time_zone, std::optional<time_point> not_before) {
    if (!start_ || training_)
        return ok_status();
    auto at = election::local_to_utc(time_zone, start_->date, start_->time);
    if (!at.ok())
        return make_error(
            "daemon.training_clock_time",
            "--training-clock-start is not a time on the station's clocks: " + at.err().message);
    time_point start = *at;
    const bool resume = not_before && *not_before > start;
    if (resume)
        start = *not_before;
    BALLOTBOX_ASSIGN_OR_RETURN(auto clock, appliance::training_clock::make(system_, start, speed_));
    training_.emplace(std::move(clock));
    resumed_ = resume;
    started_at_ = start;
    return ok_status();
}

time_point daemon_clock::now() const {
    return training_ ? training_->now() : system_.now();
}

}  // namespace ballotbox::daemon
