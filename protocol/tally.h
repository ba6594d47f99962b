// tally: the figures of a precinct protocol recomputed from the ledger file alone and the
// election package (never from counters kept elsewhere).
//
// Event bodies read (written by the poll-day core, docs/poll-day.md):
//   issue   {"style": <style id>[, "box": "portable"]}   a card issued with that style
//   cancel  {"reason": ..., "token": <hex>[, "style": <style id>]}
//   opening / turnout {"at": <unix seconds>, ...}; closing extra {"at", ["voters_added"]}
//   portable_registered {"key"}; portable_not_used {"keys": [...]}
//   portable_import {"issued": {style: n}, "cancelled": {style: n}, ...}: the portable box's
//   own issued and cancelled cards (its ballots are in the box with the portable source)
// A cancel without a style is attributed to the style of the issue entry just before it
// (the "issue_write_failed" case), else to the only style, else to the default style; the
// check "cancelled_styles_known" then says it was guessed.
// Votes come from the ballot records in the box, decoded with cardio's codec; each record
// must be a voted card of this election and station whose races and choices fit the
// package, else the tally fails ("protocol.bad_ballot_record", naming the box key).
//
// make_report() opens nothing itself: the caller passes a ledger (normally opened with
// ledger::open_read_only) and the verified package; it reads entries, checkpoints and the
// box. A result needs the final checkpoint; a zero report the opening checkpoint and an
// empty box; a turnout report a turnout checkpoint, and (because the box is not tied to
// time) that no ballot was cast after it.
//
// Thread safety: none (the ledger object is used).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.h"
#include "election/election_package.h"
#include "ledger/ledger.h"
#include "protocol/protocol_document.h"

namespace ballotbox::protocol {

struct report_request {
    report_kind kind = report_kind::result;
    // The checkpoint to pin (its tree size); nullopt = the newest of the kind's checkpoints.
    std::optional<std::uint64_t> checkpoint_tree_size;
};

// A document plus the signed checkpoint note it pins (for checkpoint.txt and the PDF).
struct report {
    protocol_document document;
    std::string checkpoint_note;  // serialized C2SP signed note
};

// Errors: "protocol.package_mismatch" (the ledger pins another package),
// "protocol.no_checkpoint" (no checkpoint of the kind, e.g. the poll is not closed),
// "protocol.checkpoint_invalid", "protocol.bad_event_body" (naming the entry),
// "protocol.unknown_style", "protocol.bad_ballot_record", "protocol.zero_report_after_cast",
// "protocol.turnout_superseded", "protocol.portable_not_imported" (a result while a
// registered portable box is neither imported nor recorded as not used), ledger read errors.
result<report> make_report(ledger::ledger& book, const election::election_package& package,
                           const report_request& request);

// Opens the ledger file read-only and makes the report.
result<report> make_report_from_file(const std::filesystem::path& ledger_path,
                                     const election::election_package& package,
                                     const report_request& request);

// "2023-03-19T20:00:00+06:00": the instant as RFC 3339 in the station's zone.
std::string rfc3339_local(std::string_view zone, time_point instant);

}  // namespace ballotbox::protocol
