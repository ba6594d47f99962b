// daemon_clock: the clock ballotboxd gives the poll day — the system clock, or, for a
// training day started with --training-clock-start/--training-clock-speed, a training_clock.
//
// A training clock never goes back behind what the ledger already holds: arm() takes the
// latest instant recorded so far (ledger_time.h) and starts the clock there when that is later
// than the configured start, so a daemon restart resumes the day's clock instead of replaying
// it from the start. A configured start later than the ledger is honoured (a jump forward).
//
// The training start is a local time of the station, so the training clock can only be
// armed once the package's time zone is known: at start from the stored package, or when
// the setup command brings one. Until armed, now() is the system clock (nothing is recorded
// before setup). Re-arming is refused (the clock must not jump). poll_day itself refuses a
// training clock with a real package (appliance.training_clock_refused).
//
// Thread safety: none; the loop thread only. Outlives the poll_day that borrows it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "appliance/daemon/daemon_options.h"
#include "appliance/training_clock.h"
#include "common/clock.h"

namespace ballotbox::daemon {

class daemon_clock final : public clock_source {
  public:
    daemon_clock(std::optional<training_clock_start> start, std::uint32_t speed);

    bool is_training() const { return start_.has_value(); }
    bool armed() const { return training_.has_value(); }
    std::uint32_t speed() const { return is_training() ? speed_ : 1; }

    // Starts the training clock at the configured local time in `time_zone`, or at
    // `not_before` (the latest instant the ledger holds) when that is later.
    // Errors: daemon.training_clock_time (not a time on the station's clocks).
    status arm(std::string_view time_zone, std::optional<time_point> not_before = std::nullopt);

    // Once armed: whether the clock resumed from the ledger rather than the configured start,
    // and the instant it started at.
    bool resumed() const { return resumed_; }
    std::optional<time_point> started_at() const { return started_at_; }

    time_point now() const override;

  private:
    system_clock_source system_;
    std::optional<training_clock_start> start_;
    std::uint32_t speed_;
    std::optional<appliance::training_clock> training_;
    bool resumed_ = false;
    std::optional<time_point> started_at_;
};

}  // namespace ballotbox::daemon
