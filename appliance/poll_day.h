// poll_day: the poll-day core of the appliance — one polling station's state machine over
// its ledger, its keys and the cards at the table (docs/poll-day.md). No sockets, no PC/SC:
// the daemon (appliance/daemon/) owns the event loop, the reader monitor and the control
// socket and calls into this object.
//
// The state directory holds (created by setup, mode 0600 files in a 0700 directory):
//   package.json     the signed election package as loaded (re-verified at every start)
//   appliance.pem    the appliance's Ed25519 key (signs checkpoints); kept if it exists
//   mac.key          32 random bytes, the issue-MAC key (committed to in genesis)
//   ledger.sqlite    the hash-chained ledger (its existence means "configured")
//   exports/turnout-HHMM.json   the turnout reports, written atomically
//
// The state is never kept anywhere but in the ledger: start() replays every entry to derive
// it (counts, tokens used, selected style, turnout reports done, wrong opening tries) and
// appends a `restart` event. Every operator command (setup, open, close, select_style,
// cancel) is an `operator_command` event with what was asked and the outcome, refused ones
// included (except while unconfigured: there is no ledger yet). Every card handled is
// written to the ledger before the card is touched (ledger commit first, card second).
//
// Failures come back as values: commands return result/status with "appliance.*" codes (or
// the underlying election.*, ledger.*, crypto.* code) and a message for the chair; card
// handling always returns a card_report (a failure is a refusal with its reason and the
// underlying error in `detail`). A failed command leaves the state as it was; a ledger whose
// commit failed refuses further writes until the process restarts (ledger.must_reopen).
//
// Thread safety: none. One thread (the daemon's strand) calls one object at a time; the
// clock and random source are borrowed and must outlive the object.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "appliance/card_report.h"
#include "appliance/poll_state.h"
#include "appliance/portable_kit.h"
#include "cardio/card_transport.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "crypto/ed25519.h"

namespace ballotbox::appliance {

struct poll_day_config {
    std::filesystem::path state_dir{};                 // created (0700) if missing
    crypto::ed25519_public_key commission_key;         // the trusted territorial commission key
    std::optional<std::string> expected_station_id{};  // refuse a package for another station
    const clock_source* clock = nullptr;               // required, borrowed
    random_source* random = nullptr;  // required, borrowed (tokens, keys, box keys)
    std::string ledger_vfs{};         // SQLite VFS for the ledger; empty = default
    // The clock is a training clock (offset/speed): only a training package accepts it.
    bool clock_is_training = false;
    // Opening: wrong tries allowed before slowing down, and the first delay (doubling after
    // each further wrong try, at most max_open_delay).
    std::uint32_t free_open_tries = 3;
    std::chrono::seconds open_delay{30};
    std::chrono::seconds max_open_delay{3600};
};

struct setup_summary {
    std::string election_id;
    std::string station_id;
    bool training = false;
    std::string package_sha256;     // hex: the election id on the cards, pinned in genesis
    std::string appliance_key_pem;  // public key (SPKI PEM), for the commission's records
    std::string origin;             // the checkpoint origin / key name
    time_point opens_at;
    time_point closes_at;
    std::vector<std::string> styles;  // ids, styles[0] the default
    std::size_t booths = 0;
};

// A portable ballot box registered at this station (docs/portable-box.md).
struct portable_box_status {
    std::string key_id;  // hex of its appliance key
    bool imported = false;
    bool not_used = false;  // the chair recorded that it was not used
};

// What an import recorded.
struct portable_import_summary {
    std::string key_id;
    std::uint64_t ballots = 0;               // added to the box
    std::uint64_t already_in_box = 0;        // cast here too (a copied card): counted once, here
    std::int64_t issued = 0, cancelled = 0;  // by the portable box
    std::uint64_t tree_size = 0;             // of its final checkpoint
    std::uint64_t ledger_seq = 0;            // of the portable_import event
};

struct poll_status {
    poll_state state = poll_state::unconfigured;
    bool portable_role = false;                       // this appliance is a portable ballot box
    std::vector<portable_box_status> portable_boxes;  // registered here (station role)
    bool training = false;
    std::string election_id;  // empty while unconfigured
    std::string station_id;
    std::string time_zone;
    poll_counts counts;
    std::string next_style;  // the style the next issued card gets
    std::vector<std::string> styles;
    std::optional<time_point> opens_at;
    std::optional<time_point> closes_at;
    std::optional<time_point> next_turnout_at;          // the next report time not yet recorded
    std::optional<std::chrono::seconds> time_to_close;  // while open, until closes_at
    std::optional<time_point> next_open_try_at;         // after repeated wrong secrets
    std::uint32_t wrong_open_tries = 0;                 // since the last successful open
    std::optional<card_report> last_card;               // in memory only (not after a restart)
    std::uint64_t ledger_entries = 0;
    time_point now;
};

class poll_day {
  public:
    // Opens the state directory. With a ledger: re-verifies the package, keys and ledger
    // (ledger::open verifies the whole chain), replays it into the state, appends a `restart`
    // event (not once closed) and any checkpoint a crash left unwritten. Without: unconfigured.
    // Errors: "appliance.bad_config", "appliance.state_dir", "appliance.package_missing",
    // "appliance.package_mismatch", "appliance.key_mismatch", "appliance.training_clock_refused",
    // "appliance.replay_failed", and the election.*, ledger.*, crypto.* errors.
    static result<poll_day> start(const poll_day_config& config);

    poll_day(poll_day&&) noexcept;
    poll_day& operator=(poll_day&&) noexcept;
    ~poll_day();

    // Loads and verifies the signed package text, makes or loads the appliance key, makes the
    // MAC key, writes the genesis entry. Only while unconfigured (otherwise refused and
    // recorded). With a portable kit (from the station's make_portable_kit) the appliance is
    // set up in the portable role: the kit's MAC key instead of a new one, and the kit must be
    // for this package and station ("appliance.kit_mismatch").
    // Errors: "appliance.already_set_up", "appliance.training_clock_refused",
    // "appliance.package_unsupported", the election.* load errors, storage errors.
    result<setup_summary> setup(std::string_view package_file_text,
                                const portable_kit* kit = nullptr);

    // The portable ballot box, station role (docs/portable-box.md). Each is recorded as an
    // operator command; refused in the portable role ("appliance.portable_role") and once
    // closed. make_portable_kit: the kit for a portable box (set up or open).
    result<std::string> make_portable_kit();
    // Records a portable box's appliance key (PEM) as registered (set up or open; before
    // the close). Errors: "appliance.bad_portable_key", "appliance.already_registered".
    ballotbox::status register_portable(std::string_view public_key_pem);
    // Checks the closed portable ledger completely (portable_ledger.h) and records its
    // ballots into the box as portable ballots with one portable_import event pinning its
    // final checkpoint, in one transaction; tokens already in this box are counted once
    // (here) and skipped. Open or closing only ("appliance.not_open"). A failed check records
    // the refusal and imports nothing. Errors: the portable.* codes,
    // "appliance.portable_already_imported", storage errors.
    result<portable_import_summary> import_portable(const std::filesystem::path& ledger_file);
    // The chair records that the registered portable boxes not imported were not used
    // (printed on the protocol). Errors: "appliance.no_portable_box" (none outstanding).
    ballotbox::status record_portable_not_used();

    // The chair's opening with the sealed secret. Refused (and recorded): not set up / already
    // open ("appliance.not_set_up", "appliance.already_open"), before the opening time unless
    // training ("appliance.too_early"), after the closing time unless training
    // ("appliance.too_late"), while slowed down after wrong tries ("appliance.try_later"),
    // wrong secret ("appliance.wrong_secret"), ballot box not empty ("appliance.box_not_empty").
    // On success: `opening` event and the opening checkpoint.
    ballotbox::status open(std::string_view secret);

    // The chair's close. Refused (and recorded) unless open or closing ("appliance.not_open"),
    // before the closing time unless training or in the portable role ("appliance.too_early"),
    // and while a registered portable box is neither imported nor recorded as not used
    // ("appliance.portable_not_imported"). Appends the closing entry (final counts, the
    // revealed MAC key, the voters the chair added to the list on the day) and the final
    // checkpoint. voters_added above max_voters_added: "appliance.bad_voters_added".
    ballotbox::status close(std::uint64_t voters_added = 0);
    static constexpr std::uint64_t max_voters_added = 100000;

    // The ballot style of the next issued cards (a style id of the package). Refused while
    // unconfigured ("appliance.not_set_up") or closed ("appliance.closed"), and for an unknown
    // id ("appliance.unknown_style", recorded).
    ballotbox::status select_style(std::string_view style_id);

    // Records whatever report and closing times the clock has passed (turnout event,
    // checkpoint and export file per report; the closing time moves open -> closing). The
    // daemon calls it from a timer; handle_card, open and close call it first themselves.
    // Errors: ledger errors (the report is retried on the next tick); checkpoint and
    // export-file errors after the turnout event (not retried: the event is in the ledger, a
    // missing checkpoint is written at the next start, the file can be rebuilt from it).
    ballotbox::status tick();

    // A card inserted in the table reader, inside one PC/SC transaction: read, verify, record,
    // write. Always a report; never throws.
    card_report handle_card(cardio::card_transport& card);

    // The poll worker confirmed cancelling the card in the reader: re-reads it; cancels only
    // an issued, unvoted card whose token is unused (cancel event, then cleared). Anything
    // else is a refused report (the command is recorded either way).
    card_report cancel_card(cardio::card_transport& card);

    poll_status status() const;
    poll_state state() const;

  private:
    struct impl;
    explicit poll_day(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace ballotbox::appliance
