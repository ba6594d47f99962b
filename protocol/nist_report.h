// nist_report: the protocol's results in the NIST SP 1500-100 version 2 JSON form
// (ElectionResults.ElectionReport, schema NIST_V2_election_results_reporting.json).
//
// One ReportingUnit (Type "precinct") for the station with VotersRegistered and
// VotersParticipated; one Election (Type "general", ElectionScopeId = the station) whose
// Contests are one per ballot: a PartyContest with PartySelections for a party list, a
// CandidateContest (VotesAllowed 1) with CandidateSelections otherwise. Each selection
// carries VoteCounts {Type "total", GpUnitId = the station}. "Against all" is a selection of
// its own that points to a Party or Candidate with @id "<ballot>-against-all"; blank ballots
// are the contest's SummaryCounts Undervotes, cast ballots BallotsCast, not returned
// BallotsOutstanding. Names carry Kazakh, Russian and (when present) English LanguageStrings.
// Status is "unofficial-complete" for a result, "pre-election" for a zero report and
// "unofficial-partial" for a turnout report; IsTest is the training flag.
//
// Pure function; thread-safe.
#pragma once

#include <boost/json/value.hpp>

#include "election/election_package.h"
#include "protocol/protocol_document.h"

namespace ballotbox::protocol {

// generated_date: RFC 3339 (the document's event time is used by export).
// Errors: "protocol.package_mismatch" (the document's ballots are not the package's).
result<boost::json::value> make_nist_report(const protocol_document& doc,
                                            const election::election_package& package,
                                            std::string_view generated_date);

}  // namespace ballotbox::protocol
