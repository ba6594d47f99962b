// card_report: what the poll worker is told about one card, and the counts the status shows.
//
// Every card that reaches poll_day::handle_card or cancel_card ends in exactly one report:
// issued (a blank card now carries an activation), accepted (a voted card's ballot is in the
// box; running_number is the count of ballots cast so far), already_recorded (the token was
// in the box or cancelled: the card was only cleared), not_voted_yet (an issued card came
// back unvoted: the poll worker may confirm a cancel), cancelled, or refused (reason says
// why; the headline and what_to_do say what to do next).
//
// Plain values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "appliance/refusal_reason.h"
#include "common/result.h"

namespace ballotbox::appliance {

enum class card_outcome { issued, accepted, already_recorded, not_voted_yet, cancelled, refused };

// "issued", "accepted", "already_recorded", "not_voted_yet", "cancelled", "refused".
std::string_view card_outcome_name(card_outcome outcome);

struct card_report {
    card_outcome outcome = card_outcome::refused;
    std::optional<refusal_reason> reason;  // refused, and the notes of already_recorded
    std::uint64_t running_number = 0;      // accepted: this ballot is the Nth cast
    std::string style_id;                  // issued / not_voted_yet / cancelled: the card's style
    localized_text headline;               // large letters: "Accepted #17", "Foreign station"
    localized_text what_to_do;             // one line: "Give the card to the next voter"
    std::optional<std::uint64_t> ledger_seq;  // the last entry this card caused, if any
    bool card_cleared = false;    // the card was written back to blank during this insertion
    bool training = false;        // everything a training day shows says TRAINING
    std::optional<error> detail;  // the underlying error (card.*, ledger.*), for the log
};

struct poll_counts {
    std::uint64_t issued = 0;     // issue events
    std::uint64_t cast = 0;       // ballots in the box
    std::uint64_t cancelled = 0;  // cancel events (confirmed, or issue write failed)
    std::uint64_t rejected = 0;   // rejected_card events that are refusals (not notes)
    // issued = cast + cancelled + outstanding
    // Signed: a card issued by the portable box and cast here counts in `cast` before the
    // portable box's issued cards are imported.
    std::int64_t outstanding() const {
        return static_cast<std::int64_t>(issued) - static_cast<std::int64_t>(cast) -
               static_cast<std::int64_t>(cancelled);
    }
    friend bool operator==(const poll_counts&, const poll_counts&) = default;
};

}  // namespace ballotbox::appliance
