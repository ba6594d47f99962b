// cast_window: the coarse time a cast event may carry.
//
// A cast event records only the start of the window that contains the cast time, never the
// time itself, so the chain cannot tie a ballot to a moment finer than the window. The
// window is either fixed-length from an origin (windows [origin + k*length, origin +
// (k+1)*length)), or given by boundaries (e.g. the turnout report times): the window of t
// starts at the last boundary <= t; a time before the first boundary falls into window 0,
// recorded as start 0 ("before the first boundary"). Starts are whole seconds since the Unix
// epoch (UTC), rounded down.
//
// Immutable value type, thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace ballotbox::ledger {

class cast_window {
  public:
    // The default: two-hour windows from the Unix epoch (the turnout reports' spacing).
    // The daemon should pass the day's real turnout boundaries.
    cast_window() = default;
    // Errors: "ledger.bad_cast_window" (length under one second).
    static result<cast_window> fixed(time_point origin, std::chrono::seconds length);
    // Errors: "ledger.bad_cast_window" (empty, not strictly increasing, or two boundaries in
    // the same second).
    static result<cast_window> from_boundaries(std::vector<time_point> boundaries);

    // Start of the window containing t, in seconds since the Unix epoch.
    std::int64_t window_start(time_point t) const;
    // Whether s is a value window_start can return (used by tests and checks).
    bool is_window_start(std::int64_t s) const;

  private:
    std::vector<std::int64_t> boundaries_;  // seconds, strictly increasing; empty = fixed
    std::int64_t origin_ = 0;               // seconds
    std::int64_t length_ = 7200;            // seconds
};

}  // namespace ballotbox::ledger
