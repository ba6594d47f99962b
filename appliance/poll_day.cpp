#include "appliance/poll_day.h"

#include <algorithm>

#include "appliance/poll_day_impl.h"
#include "appliance/portable_ledger.h"
#include "appliance/state_files.h"
#include "cardio/booth_signature.h"
#include "cardio/card_fields.h"
#include "common/canonical_json.h"
#include "election/package_builder.h"
#include "election/signed_package.h"
#include "ledger/checkpoint.h"

namespace ballotbox::appliance {

std::int64_t seconds_since_epoch(time_point t) {
    return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

namespace {

constexpr std::size_t max_package_file = 4 * 1024 * 1024;

error not_configured(std::string_view what) {
    return make_error("appliance.not_set_up",
                      "The appliance is not set up yet: load the election "
                      "package first (" +
                          std::string(what) + " refused).");
}

error closed_error() {
    return make_error("appliance.closed",
                      "The poll has been closed; the ledger is final and takes no more commands.");
}

status check_training_clock(const poll_day_config& config, const election::election_package& p) {
    if (config.clock_is_training && !p.training)
        return make_error("appliance.training_clock_refused",
                          "A training clock was given, but this is a real election package: a "
                          "real poll runs only on the system clock. Restart without the training "
                          "clock, or load a training package.");
    return ok_status();
}

status check_supported(const election::election_package& p) {
    BALLOTBOX_TRY(cardio::check_station_id(p.station_id));
    if (p.ballots.empty() || p.ballots.size() > cardio::max_races)
        return make_error("appliance.package_unsupported", "The package has " +
                                                               std::to_string(p.ballots.size()) +
                                                               " ballots; a card carries 1 to 8.");
    for (const auto& b : p.ballots)
        if (b.options.empty() || b.options.size() > 255)
            return make_error("appliance.package_unsupported",
                              "Ballot " + b.id + " has " + std::to_string(b.options.size()) +
                                  " options; a card carries 1 to 255.");
    if (p.styles.empty())
        return make_error("appliance.package_unsupported", "The package has no ballot style.");
    return ok_status();
}

ledger::checkpoint_kind kind_after(ledger::event_type t) {
    return ledger::checkpoint_kind_after(t);
}

}  // namespace

void poll_day::impl::load_package(election::election_package p) {
    package = std::move(p);
    schedule.clear();
    for (auto t : package->turnout_reports_at)
        schedule.push_back({t, true, t == package->closes_at});
    if (std::none_of(schedule.begin(), schedule.end(),
                     [](const scheduled_report& r) { return r.closing_time; }))
        schedule.push_back({package->closes_at, false, true});
    std::sort(schedule.begin(), schedule.end(),
              [](const auto& a, const auto& b) { return a.at < b.at; });
    booth_ids.clear();
    for (const auto& b : package->booths)
        booth_ids.push_back(cardio::booth_key_id_of(b.public_key));
    next_style = package->styles.front().id;
}

ledger::ledger_options poll_day::impl::ledger_options() const {
    ledger::ledger_options o;
    o.vfs_name = config.ledger_vfs;
    o.clock = config.clock;
    o.random = config.random;
    std::vector<time_point> bounds{package->opens_at};
    for (const auto& r : schedule)
        bounds.push_back(r.at);
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end(),
                             [](time_point a, time_point b) {
                                 return seconds_since_epoch(a) == seconds_since_epoch(b);
                             }),
                 bounds.end());
    if (auto w = ledger::cast_window::from_boundaries(bounds))
        o.window = *w;
    if (appliance_key)
        o.trusted_key = appliance_key->public_key();
    return o;
}

result<std::uint64_t> poll_day::impl::record_command(std::string_view command, const error* refusal,
                                                     boost::json::object details) {
    details["command"] = command;
    details["outcome"] = refusal ? "refused" : "accepted";
    details["at"] = seconds_since_epoch(now());
    if (refusal)
        details["error"] = refusal->code;
    return book->append(ledger::event_type::operator_command, details);
}

error poll_day::impl::refuse_command(std::string_view command, error refusal,
                                     boost::json::object details) {
    if (book && !book->closed()) {
        auto r = record_command(command, &refusal, std::move(details));
        if (!r)
            refusal.message +=
                " (Recording this refusal in the ledger failed too: " + r.err().message + ")";
    }
    return refusal;
}

std::optional<time_point> poll_day::impl::next_open_try() const {
    if (wrong_tries < config.free_open_tries || !last_wrong_try)
        return std::nullopt;
    auto delay = config.open_delay;
    for (std::uint32_t i = config.free_open_tries; i < wrong_tries && delay < config.max_open_delay;
         ++i)
        delay *= 2;
    delay = std::min(delay, config.max_open_delay);
    return *last_wrong_try + delay;
}

status poll_day::impl::repair_checkpoint() {
    auto size = book->size();
    if (size == 0)
        return ok_status();
    BALLOTBOX_ASSIGN_OR_RETURN(auto last, book->read_entry(size - 1));
    auto kind = kind_after(last.type);
    if (kind == ledger::checkpoint_kind::other)
        return ok_status();
    BALLOTBOX_ASSIGN_OR_RETURN(auto cps, book->checkpoints());
    for (const auto& c : cps)
        if (c.tree_size == size)
            return ok_status();
    return book->append_checkpoint(kind, *appliance_key).ok()
               ? ok_status()
               : ballotbox::status(make_error("appliance.checkpoint_failed",
                                              "The missing checkpoint could not be written."));
}

status poll_day::impl::record_report(const scheduled_report& r) {
    auto local = election::format_local(package->time_zone, r.at);  // "YYYY-MM-DD HH:MM:SS +ZZZZ"
    auto hhmm = local.size() >= 16 ? local.substr(11, 5) : local;
    boost::json::object body{{"at", seconds_since_epoch(r.at)},
                             {"local_time", local},
                             {"report", r.report},
                             {"closing_time", r.closing_time},
                             {"issued", counts.issued},
                             {"cast", counts.cast},
                             {"cancelled", counts.cancelled},
                             {"written_at", seconds_since_epoch(now())},
                             {"training", training()}};
    BALLOTBOX_TRY(book->append(ledger::event_type::turnout, body));
    ++next_report;
    if (r.closing_time && state == poll_state::open)
        state = poll_state::closing;
    auto cp = book->append_checkpoint(ledger::checkpoint_kind::turnout, *appliance_key);
    if (!cp)
        return cp.err();
    body["election_id"] = package->election_id;
    body["station_id"] = package->station_id;
    body["voters_on_list"] = package->voters_on_list;
    body["checkpoint"] = *cp;
    auto text = canonical_json(boost::json::value(body));
    if (!text)
        return text.err();
    std::string name = "turnout-" + hhmm.substr(0, 2) + hhmm.substr(3, 2) + ".json";
    auto dir = config.state_dir / exports_dir_name;
    BALLOTBOX_TRY(ensure_private_dir(dir));
    return write_file_atomically(dir / name, as_bytes(*text + "\n"), 0640);
}

poll_day::poll_day(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
poll_day::poll_day(poll_day&&) noexcept = default;
poll_day& poll_day::operator=(poll_day&&) noexcept = default;
poll_day::~poll_day() = default;

result<poll_day> poll_day::start(const poll_day_config& config) {
    if (config.clock == nullptr || config.random == nullptr || config.state_dir.empty())
        return make_error("appliance.bad_config",
                          "The appliance needs a state directory, a clock and a random source.");
    BALLOTBOX_TRY(ensure_private_dir(config.state_dir));
    auto p = std::make_unique<impl>(config);
    std::error_code ec;
    if (!std::filesystem::exists(p->path(ledger_file_name), ec))
        return poll_day(std::move(p));

    auto text = read_small_file(p->path(package_file_name), max_package_file);
    if (!text)
        return make_error("appliance.package_missing",
                          "The state directory has a ledger but its election package cannot be "
                          "read: " +
                              text.err().message);
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto package,
        election::load_signed_package(*text, config.commission_key, {config.expected_station_id}));
    BALLOTBOX_TRY(check_training_clock(config, package));
    p->load_package(std::move(package));
    BALLOTBOX_ASSIGN_OR_RETURN(auto key, load_appliance_key(config.state_dir));
    p->appliance_key = std::move(key);
    BALLOTBOX_ASSIGN_OR_RETURN(p->mac_key, load_mac_key(config.state_dir));
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto book, ledger::ledger::open(p->path(ledger_file_name), p->ledger_options()));
    p->book.emplace(std::move(book));
    const auto& g = p->book->genesis();
    if (g.election_package_sha256 != p->package->package_hash)
        return make_error("appliance.package_mismatch",
                          "package.json is not the election package this ledger was set up with.");
    const auto* commitment = g.extra.if_contains("mac_key_commitment");
    if (commitment == nullptr || !commitment->is_string() ||
        commitment->get_string() != mac_key_commitment(p->mac_key.view()))
        return make_error("appliance.key_mismatch",
                          "mac.key is not the issue-MAC key this ledger was set up with.");
    const auto* role = g.extra.if_contains("role");
    p->portable_role = role != nullptr && role->is_string() && role->get_string() == "portable";
    BALLOTBOX_TRY(p->replay());
    if (p->book->closed()) {
        if (!p->book->finalized())
            BALLOTBOX_TRY(p->repair_checkpoint());
    } else {
        BALLOTBOX_TRY(p->repair_checkpoint());
        boost::json::object body{{"state", poll_state_name(p->state)},
                                 {"at", seconds_since_epoch(p->now())}};
        BALLOTBOX_TRY(p->book->append(ledger::event_type::restart, body));
    }
    return poll_day(std::move(p));
}

result<setup_summary> poll_day::setup(std::string_view package_file_text, const portable_kit* kit) {
    auto& s = *impl_;
    if (s.state == poll_state::closed)
        return closed_error();
    if (s.state != poll_state::unconfigured)
        return s.refuse_command(
            "setup", make_error("appliance.already_set_up",
                                "The appliance is already set up for " + s.package->election_id +
                                    ", station " + s.package->station_id + "."));
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto package, election::load_signed_package(package_file_text, s.config.commission_key,
                                                    {s.config.expected_station_id}));
    BALLOTBOX_TRY(check_training_clock(s.config, package));
    BALLOTBOX_TRY(check_supported(package));
    if (kit != nullptr &&
        (kit->package_sha256 != package.package_hash || kit->station_id != package.station_id))
        return make_error("appliance.kit_mismatch",
                          "The portable kit was made for another election package or station "
                          "than this package's (" +
                              package.station_id + ").");
    BALLOTBOX_TRY(ensure_private_dir(s.config.state_dir));
    BALLOTBOX_ASSIGN_OR_RETURN(auto key,
                               load_or_make_appliance_key(s.config.state_dir, *s.config.random));
    crypto::secret_bytes mac;
    if (kit != nullptr) {
        BALLOTBOX_TRY(write_file_atomically(s.path(mac_key_file_name), kit->mac_key.view(), 0600));
        mac = crypto::secret_bytes(kit->mac_key.view());
    } else {
        BALLOTBOX_ASSIGN_OR_RETURN(mac, make_mac_key(s.config.state_dir, *s.config.random));
    }
    BALLOTBOX_TRY(
        write_file_atomically(s.path(package_file_name), as_bytes(package_file_text), 0600));
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto origin,
        ledger::checkpoint_origin(package.election_id, package.station_id, key.public_key()));
    ledger::genesis_info g;
    g.election_package_sha256 = package.package_hash;
    g.appliance_key = key.public_key().raw();
    g.origin = origin;
    g.extra = {{"election_id", package.election_id},
               {"station_id", package.station_id},
               {"training", package.training},
               {"mac_key_commitment", mac_key_commitment(mac.view())}};
    if (kit != nullptr)
        g.extra["role"] = "portable";

    auto p = std::make_unique<impl>(s.config);
    p->load_package(std::move(package));
    p->appliance_key = std::move(key);
    p->mac_key = std::move(mac);
    p->portable_role = kit != nullptr;
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto book, ledger::ledger::create(p->path(ledger_file_name), p->ledger_options(), g));
    p->book.emplace(std::move(book));
    p->state = poll_state::set_up;
    BALLOTBOX_TRY(p->record_command("setup", nullptr,
                                    {{"package_sha256", to_hex(p->package->package_hash)}}));
    impl_ = std::move(p);

    const auto& pk = *impl_->package;
    setup_summary out;
    out.election_id = pk.election_id;
    out.station_id = pk.station_id;
    out.training = pk.training;
    out.package_sha256 = to_hex(pk.package_hash);
    out.appliance_key_pem = impl_->appliance_key->public_key().to_pem();
    out.origin = origin;
    out.opens_at = pk.opens_at;
    out.closes_at = pk.closes_at;
    for (const auto& st : pk.styles)
        out.styles.push_back(st.id);
    out.booths = pk.booths.size();
    return out;
}

status poll_day::open(std::string_view secret) {
    auto& s = *impl_;
    if (s.state == poll_state::unconfigured)
        return not_configured("opening");
    if (s.state == poll_state::closed)
        return closed_error();
    BALLOTBOX_TRY(tick());
    const auto& pk = *s.package;
    auto now = s.now();
    if (s.state != poll_state::set_up)
        return s.refuse_command(
            "open", make_error("appliance.already_open", "The poll was opened already."));
    if (!pk.training && now < pk.opens_at)
        return s.refuse_command(
            "open",
            make_error("appliance.too_early",
                       "The poll opens at " + election::format_local(pk.time_zone, pk.opens_at) +
                           "; it cannot be opened before."));
    if (!pk.training && now >= pk.closes_at)
        return s.refuse_command(
            "open",
            make_error("appliance.too_late",
                       "The closing time " + election::format_local(pk.time_zone, pk.closes_at) +
                           " has passed; the poll cannot be opened any more."));
    if (auto next = s.next_open_try(); next && now < *next)
        return s.refuse_command(
            "open", make_error("appliance.try_later",
                               "Too many wrong secrets: the next try is considered from " +
                                   election::format_local(pk.time_zone, *next) + "."));
    if (!election::opening_secret_matches(secret, pk.opening_secret)) {
        auto e = s.refuse_command(
            "open", make_error("appliance.wrong_secret",
                               "The opening secret is wrong. Check the sealed envelope and type "
                               "it again."));
        s.wrong_tries += 1;
        s.last_wrong_try = now;
        return e;
    }
    BALLOTBOX_ASSIGN_OR_RETURN(auto box, s.book->ballots());
    if (!box.empty() || s.counts.cast != 0)
        return s.refuse_command(
            "open", make_error("appliance.box_not_empty",
                               "The ballot box already holds " + std::to_string(box.size()) +
                                   " ballots; it must be empty at the opening. Call the "
                                   "territorial commission."));
    BALLOTBOX_TRY(s.record_command("open", nullptr));
    boost::json::object body{{"at", seconds_since_epoch(now)},
                             {"local_time", election::format_local(pk.time_zone, now)},
                             {"training", pk.training}};
    BALLOTBOX_TRY(s.book->append(ledger::event_type::opening, body));
    s.state = poll_state::open;
    s.wrong_tries = 0;
    s.last_wrong_try.reset();
    // Report times already past are skipped (at the seconds the opening event stores).
    while (s.next_report < s.schedule.size() &&
           seconds_since_epoch(s.schedule[s.next_report].at) <= seconds_since_epoch(now) &&
           !s.schedule[s.next_report].closing_time)
        ++s.next_report;
    auto cp = s.book->append_checkpoint(ledger::checkpoint_kind::opening, *s.appliance_key);
    if (!cp)
        return cp.err();
    return tick();
}

status poll_day::close(std::uint64_t voters_added) {
    auto& s = *impl_;
    if (s.state == poll_state::unconfigured)
        return not_configured("closing");
    if (s.state == poll_state::closed)
        return closed_error();
    BALLOTBOX_TRY(tick());
    const auto& pk = *s.package;
    if (s.state == poll_state::set_up)
        return s.refuse_command("close", make_error("appliance.not_open",
                                                    "The poll was never opened; it cannot be "
                                                    "closed."));
    if (!pk.training && !s.portable_role && s.now() < pk.closes_at)
        return s.refuse_command(
            "close",
            make_error("appliance.too_early",
                       "The poll closes at " + election::format_local(pk.time_zone, pk.closes_at) +
                           "; the chair cannot close it before."));
    for (const auto& box : s.portables)
        if (!box.imported && !box.not_used)
            return s.refuse_command(
                "close",
                make_error("appliance.portable_not_imported",
                           "The portable ballot box " + portable_key_id(box.key).substr(0, 16) +
                               " is registered but its ledger was not imported. Import it "
                               "(ballotbox import-portable FILE), or record that it was not "
                               "used (ballotbox portable-not-used), before closing."));
    if (voters_added > max_voters_added)
        return s.refuse_command(
            "close", make_error("appliance.bad_voters_added",
                                "The number of voters added to the list on the day must be at "
                                "most " +
                                    std::to_string(max_voters_added) + "."));
    BALLOTBOX_TRY(s.record_command("close", nullptr, {{"voters_added", voters_added}}));
    boost::json::object extra{{"mac_key", to_hex(s.mac_key.view())},
                              {"voters_added", voters_added},
                              {"issued", s.counts.issued},
                              {"cast", s.counts.cast},
                              {"cancelled", s.counts.cancelled},
                              {"rejected", s.counts.rejected},
                              {"outstanding", s.counts.outstanding()},
                              {"at", seconds_since_epoch(s.now())},
                              {"training", pk.training}};
    BALLOTBOX_TRY(s.book->append_closing(extra));
    s.state = poll_state::closed;
    auto cp = s.book->append_checkpoint(ledger::checkpoint_kind::final, *s.appliance_key);
    if (!cp)
        return cp.err();
    // A portable box's ledger is carried to the station as one file: make the file whole.
    if (s.portable_role)
        BALLOTBOX_TRY(s.book->write_back_log());
    return ok_status();
}

status poll_day::select_style(std::string_view style_id) {
    auto& s = *impl_;
    if (s.state == poll_state::unconfigured)
        return not_configured("choosing a ballot style");
    if (s.state == poll_state::closed)
        return closed_error();
    boost::json::object details{{"style", style_id}};
    if (s.package->find_style(style_id) == nullptr)
        return s.refuse_command(
            "select_style",
            make_error("appliance.unknown_style",
                       "The package has no ballot style \"" + std::string(style_id) + "\"."),
            details);
    BALLOTBOX_TRY(s.record_command("select_style", nullptr, details));
    s.next_style = std::string(style_id);
    return ok_status();
}

status poll_day::impl::tick() {
    if (state != poll_state::open && state != poll_state::closing)
        return ok_status();
    auto t = now();
    while (next_report < schedule.size() && schedule[next_report].at <= t)
        BALLOTBOX_TRY(record_report(schedule[next_report]));
    return ok_status();
}

status poll_day::tick() {
    return impl_->tick();
}

card_report poll_day::handle_card(cardio::card_transport& card) {
    return impl_->handle_card(card);
}

card_report poll_day::cancel_card(cardio::card_transport& card) {
    return impl_->cancel_card(card);
}

poll_state poll_day::state() const {
    return impl_->state;
}

poll_status poll_day::status() const {
    const auto& s = *impl_;
    poll_status out;
    out.state = s.state;
    out.now = s.now();
    out.counts = s.counts;
    out.last_card = s.last_card;
    if (!s.package)
        return out;
    const auto& pk = *s.package;
    out.training = pk.training;
    out.election_id = pk.election_id;
    out.station_id = pk.station_id;
    out.time_zone = pk.time_zone;
    out.next_style = s.next_style;
    for (const auto& st : pk.styles)
        out.styles.push_back(st.id);
    out.opens_at = pk.opens_at;
    out.closes_at = pk.closes_at;
    if (s.state != poll_state::closed)
        for (std::size_t i = s.next_report; i < s.schedule.size(); ++i)
            if (s.schedule[i].report) {
                out.next_turnout_at = s.schedule[i].at;
                break;
            }
    if (s.state == poll_state::open && out.now < pk.closes_at)
        out.time_to_close = std::chrono::floor<std::chrono::seconds>(pk.closes_at - out.now);
    out.next_open_try_at = s.next_open_try();
    out.wrong_open_tries = s.wrong_tries;
    out.ledger_entries = s.book ? s.book->size() : 0;
    out.portable_role = s.portable_role;
    for (const auto& box : s.portables)
        out.portable_boxes.push_back({portable_key_id(box.key), box.imported, box.not_used});
    return out;
}

}  // namespace ballotbox::appliance
