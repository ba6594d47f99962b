// The tally report in its three forms (docs/tally.md, "Output"):
//  - render_text(): the readable table a commission member reads on screen or prints;
//  - render_json(): the report as canonical JSON ("ballotbox/tally/1"; integers only, shares
//    as basis points next to their two-decimal text);
//  - render_nist(): NIST SP 1500-100 version 2 JSON (ElectionResults.ElectionReport) with
//    ReportingUnits for the nation ("country"), the regions ("state"), the single-member
//    districts ("district") and the counted stations ("precinct"), the party list as a
//    PartyContest and each district as a CandidateContest, VoteCounts per unit. No floats.
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "common/result.h"
#include "tally/election_index.h"
#include "tally/tally_report.h"

namespace ballotbox::tally {

std::string render_text(const tally_report& report);

// Errors: "tally.bad_value" (a string that is not UTF-8 in an input file).
result<std::string> render_json(const tally_report& report);

// generated_date: RFC 3339 time of the report.
result<std::string> render_nist(const tally_report& report, const election_index& election,
                                std::string_view generated_date);

}  // namespace ballotbox::tally
