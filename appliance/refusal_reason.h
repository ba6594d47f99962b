// refusal_reason: why a card was not taken, as a stable integer code (stored in
// rejected_card events as "reason"; never renumber, only add) with the words the poll
// worker reads: a short headline and what to do, in English, Russian and Kazakh.
// The table is in docs/events.md.
//
// Pure values and functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ballotbox::appliance {

enum class refusal_reason : std::int64_t {
    polls_not_open = 1,         // not set up or not opened yet
    polls_closed = 2,           // a blank card after the closing time: no card is issued
    poll_ended = 3,             // anything after the chair's close (no event: ledger closed)
    foreign_election = 4,       // the card's election id is not this package's
    foreign_station = 5,        // the card was issued for another polling station
    mac_wrong = 6,              // an issued card whose MAC is not this appliance's
    token_not_issued_here = 7,  // a voted card a known booth signed, with a MAC not ours
    booth_unknown = 8,          // the voted card names a booth key not in the package
    booth_signature_wrong = 9,  // the booth's signature does not verify (altered card)
    choice_out_of_range = 10,   // a choice or option count the package's ballot lacks
    style_unknown = 11,         // the races on the card are no ballot style of the package
    malformed = 12,             // the record does not parse (checksum, layout, values)
    torn = 13,                  // a write was interrupted; the card is cleared if it can be
    removed = 14,               // the card left the reader mid-operation: insert it again
    unreadable = 15,            // the card or reader did not answer properly
    not_a_ballot_card = 16,     // no ballot-card record at all (wrong or unprepared card)
    already_recorded = 17,      // a note, not a refusal: the token is in the box; cleared
    token_cancelled = 18,       // a note, not a refusal: the token was cancelled; cleared
    storage_failure = 19,       // the ledger could not be written; nothing was recorded
};

// A text in the three languages of the polling station.
struct localized_text {
    std::string en;
    std::string ru;
    std::string kk;
};

std::int64_t reason_code(refusal_reason reason);
std::optional<refusal_reason> refusal_reason_from_code(std::int64_t code);
// "polls_not_open", ... (as in docs/events.md).
std::string_view refusal_reason_name(refusal_reason reason);
// True for the reasons that are notes (already_recorded, token_cancelled), not refusals.
bool is_note(refusal_reason reason);

localized_text refusal_headline(refusal_reason reason);
localized_text refusal_what_to_do(refusal_reason reason);

}  // namespace ballotbox::appliance
