// poll_day::impl: the state poll_day keeps between calls, shared by its source files
// (poll_day.cpp: start, setup and the chair's commands; poll_day_replay.cpp: deriving the
// state from the ledger; poll_day_cards.cpp: the cards at the table). Internal header.
//
// Everything here but last_card and the loaded keys is derived from the ledger: after any
// successful append the fields are updated to what a replay of the ledger would give.
// Not thread-safe (see poll_day.h).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "appliance/poll_day.h"
#include "cardio/card_record.h"
#include "crypto/secret_bytes.h"
#include "election/election_package.h"
#include "ledger/ledger.h"

namespace ballotbox::appliance {

// One instant tick() records: a turnout report time, the closing time, or both at once.
struct scheduled_report {
    time_point at;
    bool report = false;        // one of the package's turnout report times
    bool closing_time = false;  // the package's closing time
};

struct poll_day::impl {
    explicit impl(poll_day_config c) : config(std::move(c)) {}

    poll_day_config config;
    poll_state state = poll_state::unconfigured;

    // Loaded once configured.
    std::optional<election::election_package> package;
    std::optional<crypto::ed25519_private_key> appliance_key;
    crypto::secret_bytes mac_key;
    std::optional<ledger::ledger> book;
    std::vector<scheduled_report> schedule;       // sorted by time
    std::vector<cardio::booth_key_id> booth_ids;  // parallel to package->booths

    // Derived from the ledger.
    bool portable_role = false;  // genesis "role": "portable"
    struct registered_portable {
        crypto::ed25519_raw_public_key key{};
        bool imported = false;
        bool not_used = false;
    };
    std::vector<registered_portable> portables;
    poll_counts counts;
    std::set<cardio::one_time_token> box_tokens;        // tokens of ballots in the box
    std::set<cardio::one_time_token> cancelled_tokens;  // tokens of cancelled cards
    std::string next_style;
    std::size_t next_report = 0;  // index into schedule of the first one not recorded
    std::uint32_t wrong_tries = 0;
    std::optional<time_point> last_wrong_try;

    // In memory only.
    std::optional<card_report> last_card;

    time_point now() const { return config.clock->now(); }
    bool training() const { return package && package->training; }
    std::filesystem::path path(std::string_view name) const { return config.state_dir / name; }

    // Loads the package-derived fields (schedule, booth ids, next_style = styles[0]).
    void load_package(election::election_package p);
    ledger::ledger_options ledger_options() const;

    // Appends an operator_command event {command, outcome, at, [error], ...details}.
    result<std::uint64_t> record_command(std::string_view command, const error* refusal,
                                         boost::json::object details = {});
    // Records a refused command (if there is a writable ledger) and returns the refusal.
    error refuse_command(std::string_view command, error refusal, boost::json::object details = {});

    ballotbox::status replay();  // poll_day_replay.cpp
    ballotbox::status replay_portable(std::uint64_t seq, ledger::event_type type,
                                      const boost::json::object& body);
    ballotbox::status repair_checkpoint();  // a checkpoint a crash left unwritten
    ballotbox::status record_report(const scheduled_report& r);
    ballotbox::status tick();  // records the report and closing times the clock has passed
    std::optional<time_point> next_open_try() const;

    // poll_day_portable.cpp: refuses a station-only command in the portable role.
    std::optional<error> station_only(std::string_view command);

    // poll_day_cards.cpp
    card_report handle_card(cardio::card_transport& card);
    card_report cancel_card(cardio::card_transport& card);
};

std::int64_t seconds_since_epoch(time_point t);

}  // namespace ballotbox::appliance
