// audit_report: what an audit found, as a value: the checks in the order they ran (passed,
// failed or not run), the figures re-derived from the ledger, the first failure with its
// place (entry seq, checkpoint tree size, box key or file) and expected vs found, and the
// outcome with its exit code (0 verified complete, 1 tampered/inconsistent/incomplete,
// 2 unusable input). Rendering for a person (to_text) and for machines (to_json).
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ballotbox::audit {

enum class outcome { verified, incomplete, tampered, unusable };
std::string_view outcome_name(outcome o);  // "verified" | "incomplete" | "tampered" | "unusable"
int exit_code_of(outcome o);               // 0 | 1 | 1 | 2

enum class check_state { passed, failed, not_run };

struct check_line {
    std::string id;     // stable machine name, e.g. "booth_signatures"
    std::string title;  // what was checked, for a person
    check_state state = check_state::not_run;
    std::string detail;  // figures when passed, why when not run
};

struct failure {
    std::string check;  // the check_line id that failed
    std::string code;   // the underlying error code, e.g. "ledger.verification_failed"
    std::string message;
    std::string place;  // "entry 17", "checkpoint at tree size 40", "box key 3fa1...", "file"
    std::optional<std::uint64_t> seq;
    std::string expected;
    std::string found;
};

struct figures {
    std::uint64_t entries = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t issued = 0;
    std::uint64_t cast = 0;
    std::uint64_t cancelled = 0;
    std::uint64_t outstanding = 0;
    std::uint64_t rejected_cards = 0;
    std::uint64_t turnout_reports = 0;
    std::uint64_t ballots_in_box = 0;
    std::uint64_t booth_signatures_verified = 0;
    std::uint64_t checkpoint_signatures_verified = 0;
    std::uint64_t issue_macs_verified = 0;
};

// One line per ballot of the recomputed tally: the option votes in ballot order.
struct tally_line {
    std::string ballot_id;
    std::int64_t issued = 0, cancelled = 0, cast = 0, against_all = 0, blank = 0;
    std::vector<std::pair<std::string, std::int64_t>> options;
};

struct audit_report {
    outcome result = outcome::unusable;
    std::vector<check_line> checks;
    std::optional<failure> first_failure;
    figures counts;
    std::vector<tally_line> tally;
    bool training = false;
    std::string election_id;
    std::string station_id;
    int exit_code() const { return exit_code_of(result); }
};

std::string to_text(const audit_report& r);
std::string to_text(const check_line& c);  // one line, as printed while the audit runs
boost::json::object to_json(const audit_report& r);

}  // namespace ballotbox::audit
