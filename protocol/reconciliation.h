// reconciliation: the checks a precinct protocol carries, computed from its figures.
//
// Per ballot: cast_station + cast_portable + cancelled + not_returned = issued_station +
// issued_portable ("issued_reconciles"); sum(options) + against_all + blank = cast_station +
// cast_portable ("votes_reconcile"; not for turnout reports, which count no votes);
// took_part <= voters_on_list + voters_added ("took_part_within_list"). A document-level
// check holds when it holds for every ballot. compute_checks() never hides a failure: the
// caller carries the result into the document, and verify-protocol recomputes it.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "protocol/protocol_document.h"

namespace ballotbox::protocol {

struct failed_check {
    std::string check_id;
    std::string ballot_id;
    std::string what;  // in words, e.g. "cast 10 + cancelled 1 + not returned 0 = 11, issued 12"
};

// The checks in the order the format lists them (see docs/protocol-format.md).
std::vector<check_result> compute_checks(const protocol_document& doc);
// The failures behind compute_checks(), one per ballot and check, in words.
std::vector<failed_check> explain_failures(const protocol_document& doc);

}  // namespace ballotbox::protocol
