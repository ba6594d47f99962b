// audit_context: the state one audit run carries from check to check (internal to audit/).
//
// Each check is a function that fills in its detail and returns nothing (passed) or a
// problem (failed: what outcome it implies and where). context::step runs it unless an
// earlier check failed, records the line and reports it to the caller's on_check.
//
// Not thread-safe: one run, one context.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "cardio/card_record.h"
#include "election/election_package.h"
#include "ledger/canonical_json.h"
#include "ledger/ledger.h"
#include "ledger/verify.h"
#include "protocol/tally.h"

namespace ballotbox::audit::detail {

struct problem {
    outcome kind = outcome::tampered;
    failure where;
};
using step_result = std::optional<problem>;

problem tampered(std::string check, std::string place, std::string message,
                 std::string expected = {}, std::string found = {},
                 std::optional<std::uint64_t> seq = std::nullopt);
problem unusable(std::string check, std::string place, std::string message);
std::string entry_place(std::uint64_t seq);

// What the walk over the chain found (chain_checks.cpp).
struct chain_facts {
    std::uint64_t entries = 0;  // every entry the walk was handed
    std::uint64_t issued = 0, cast = 0, cancelled = 0, rejected = 0, turnouts = 0;
    std::array<std::uint64_t, 2> cast_by_source{};
    std::optional<std::uint64_t> closing_seq;
    std::optional<bytes> mac_key;  // revealed in the closing entry (checked vs commitment)
    std::map<cardio::one_time_token, std::uint64_t> cancelled_tokens;  // token -> seq
    std::optional<problem> turnout_problem;  // first turnout report that disagrees
    std::optional<problem> closing_problem;  // closing entry's counts or MAC key wrong
    std::optional<problem> token_problem;    // a token cancelled twice
    std::string turnout_detail;
    // The walk's own state (chain_walk.h).
    std::optional<problem> walk_problem;  // the first malformed event; the walk stops there
    std::optional<std::int64_t> last_turnout_at;
    std::optional<crypto::digest> commitment;  // the genesis MAC-key commitment
    // The portable boxes (docs/portable-box.md): registered keys and the imports.
    struct portable_import {
        std::uint64_t seq = 0;
        std::string key, root;  // hex
        std::int64_t tree_size = 0, ballots = 0, already_in_box = 0;
    };
    std::vector<crypto::ed25519_raw_public_key> portable_keys;
    std::vector<portable_import> portable_imports;
};

// One event of the walk other than the card events (issue, cast, rejected card), which
// chain_walk.h counts itself: genesis, cancel, turnout, closing and the portable-box events,
// at its place in seq order, with f's counts those of the chain before it (chain_checks.cpp).
void walk_event(chain_facts& f, std::uint64_t seq, ledger::event_type type, std::string_view body);
// walk_event in two halves: parse_event reads what the event's body holds and needs nothing
// else, so chain_walk.h runs it on the range's own thread; apply_event then checks it at the
// event's place in seq order, given parse_event's answer for the same seq, type and body (an
// object missing from it is parsed there). walk_event(f, seq, type, body) is apply_event(f,
// seq, type, body, parse_event(seq, type, body)).
struct parsed_event {
    std::optional<result<boost::json::object>> object;  // turnout, closing, portable events
    std::optional<crypto::digest> commitment;           // seq 0: the genesis MAC-key commitment
};
parsed_event parse_event(std::uint64_t seq, ledger::event_type type, std::string_view body);
void apply_event(chain_facts& f, std::uint64_t seq, ledger::event_type type, std::string_view body,
                 const parsed_event& parsed);
// A cancel event's token, or nullopt when the body has none (walk_event then names the
// problem). walk_cancel is walk_event for a cancel whose token is known: the same facts.
std::optional<cardio::one_time_token> cancel_token(std::string_view body);
void walk_cancel(chain_facts& f, std::uint64_t seq, const cardio::one_time_token& token);
// The problem for a card event (issue or cast) after the closing entry.
problem card_after_closing(std::uint64_t closing_seq, std::uint64_t seq, ledger::event_type type);

// One decoded ballot of the box (box_checks.cpp).
struct decoded_ballot {
    ledger::stored_ballot row;
    cardio::voted_card card;
};

struct context {
    const audit_inputs& in;
    audit_report report;
    bool stopped = false;
    bool incomplete = false;  // verify said: no closing entry or no final checkpoint

    std::string package_text;
    std::string checkpoint_text;
    std::optional<crypto::ed25519_public_key> commission;
    std::optional<election::election_package> package;
    ledger::verify_report verified;
    std::optional<ledger::ledger> book;
    std::optional<error> book_error;  // why the read-only open failed, when it did
    std::optional<crypto::ed25519_public_key> appliance_key;
    chain_facts chain;
    std::vector<decoded_ballot> box;
    std::optional<protocol::report> tally;

    explicit context(const audit_inputs& i) : in(i) {}
    // Runs `check` (unless stopped) and records its line.
    void step(std::string id, std::string title,
              const std::function<step_result(std::string& detail)>& check);
    // Records a line that does not apply, with the reason.
    void skip(std::string id, std::string title, std::string why);
};

// The checks, in the order run() calls them.
step_result check_chain_walk(context& c, std::string& detail);  // chain_checks.cpp
step_result check_checkpoint_consistency(context& c, std::string& detail);
step_result check_checkpoint_signatures(context& c, std::string& detail);
step_result check_turnout(context& c, std::string& detail);
step_result check_closing(context& c, std::string& detail);
step_result check_ballot_records(context& c, std::string& detail);  // box_checks.cpp
step_result check_booth_signatures(context& c, std::string& detail);
step_result check_issue_macs(context& c, std::string& detail);
step_result check_tokens_once(context& c, std::string& detail);
step_result check_counts(context& c, std::string& detail);
step_result check_box_order(context& c, std::string& detail);
step_result check_tally(context& c, std::string& detail);  // protocol_checks.cpp
step_result check_protocol_export(context& c, std::string& detail);
step_result check_protocol_qr(context& c, std::string& detail);
step_result check_portable_ledgers(context& c, std::string& detail);  // portable_checks.cpp

}  // namespace ballotbox::audit::detail
