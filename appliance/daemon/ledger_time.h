// ledger_time: the latest instant a poll day's ledger already holds, so that a training clock
// armed at a daemon restart resumes from there instead of going back to its configured start.
//
// latest_recorded_time() opens the ledger read-only (which verifies the whole chain, as every
// start does) and returns the greatest `at` or `written_at` (whole seconds since the Unix
// epoch) over every entry body: the opening, operator commands, turnout reports, restarts and
// the closing carry one; issue, cast and rejected-card entries carry none. nullopt when no
// entry carries a time (a ledger with only its genesis) or when there is no ledger file yet.
// Errors: the ledger.* errors of opening it, "daemon.ledger_time" for a body that does not
// parse (impossible after verification, reported rather than assumed).
// Reads only; the poll_day's own write connection may be open beside it (WAL).
// Thread safety: free function; no shared state.
#pragma once

#include <filesystem>
#include <optional>

#include "common/clock.h"
#include "common/result.h"

namespace ballotbox::daemon {

result<std::optional<time_point>> latest_recorded_time(const std::filesystem::path& ledger_path);

}  // namespace ballotbox::daemon
