// nist_json: the NIST SP 1500-100 version 2 (election results common data format) building
// blocks shared by the precinct's report (protocol/nist_report.h) and the commissions'
// tally report (tally/report_output.h), so both write names and counts the same way.
//
// Pure functions returning new JSON values; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "election/election_package.h"

namespace ballotbox::protocol {

// An ElectionResults.InternationalizedText with one LanguageString per language the name
// has, in the order kk, ru, en; empty ones are left out.
boost::json::object nist_text(const election::multilingual_name& name);

// An ElectionResults.VoteCounts of Type "total" for one reporting unit.
boost::json::object nist_vote_count(std::int64_t count, const std::string& gp_unit_id);

}  // namespace ballotbox::protocol
