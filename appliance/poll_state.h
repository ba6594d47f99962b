// poll_state: the poll-day state machine's states (docs/poll-day.md).
//
//   unconfigured -> set_up -> open -> closing -> closed
//
// unconfigured: no ledger in the state directory yet. set_up: the package is loaded and the
// genesis entry written. open: the chair opened with the sealed secret; cards are issued and
// cast. closing: the package's closing time has passed; no card is issued, cards issued
// before may still be cast. closed: the chair closed; the ledger takes no more appends.
// (A training day may close straight from open.) States never go back.
//
// Pure values; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace ballotbox::appliance {

enum class poll_state { unconfigured, set_up, open, closing, closed };

// "unconfigured", "set_up", "open", "closing", "closed" (as in events and the control socket).
std::string_view poll_state_name(poll_state state);
std::optional<poll_state> poll_state_from_name(std::string_view name);

}  // namespace ballotbox::appliance
