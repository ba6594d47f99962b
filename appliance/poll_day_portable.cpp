// The portable ballot box at the station (docs/portable-box.md): the kit, the registration
// of its key, the import of its closed ledger, and the chair's "not used".
#include "appliance/poll_day_impl.h"
#include "appliance/portable_ledger.h"
#include "appliance/state_files.h"
#include "common/bytes.h"

namespace ballotbox::appliance {
namespace {

std::optional<error> station_state_refusal(poll_state state, bool need_open) {
    if (state == poll_state::unconfigured)
        return make_error("appliance.not_set_up",
                          "The appliance is not set up yet: load the election package first.");
    if (state == poll_state::closed)
        return make_error("appliance.closed", "The poll is closed; the ledger is final.");
    if (need_open && state == poll_state::set_up)
        return make_error("appliance.not_open",
                          "The poll is not open yet: the portable box's ballots are imported "
                          "after the opening.");
    return std::nullopt;
}

}  // namespace

std::optional<error> poll_day::impl::station_only(std::string_view command) {
    if (!portable_role)
        return std::nullopt;
    return refuse_command(command,
                          make_error("appliance.portable_role",
                                     "This appliance is a portable ballot box; this is done on "
                                     "the station's appliance."));
}

result<std::string> poll_day::make_portable_kit() {
    auto& s = *impl_;
    if (auto e = station_state_refusal(s.state, false))
        return *e;
    if (auto e = s.station_only("portable_kit"))
        return *e;
    BALLOTBOX_TRY(s.record_command("portable_kit", nullptr));
    portable_kit kit;
    kit.package_sha256 = s.package->package_hash;
    kit.station_id = s.package->station_id;
    kit.mac_key = crypto::secret_bytes(s.mac_key.view());
    return serialize_portable_kit(kit);
}

status poll_day::register_portable(std::string_view public_key_pem) {
    auto& s = *impl_;
    if (auto e = station_state_refusal(s.state, false))
        return *e;
    if (auto e = s.station_only("register_portable"))
        return *e;
    auto key = crypto::ed25519_public_key::from_pem(public_key_pem);
    if (!key)
        return s.refuse_command(
            "register_portable",
            make_error("appliance.bad_portable_key",
                       "This is not an Ed25519 public key in PEM form (the portable box's "
                       "appliance.pub.pem): " +
                           key.err().message));
    const auto id = portable_key_id(key->raw());
    boost::json::object details{{"key", id}};
    bool known = key->raw() == s.appliance_key->public_key().raw();
    for (const auto& box : s.portables)
        known = known || box.key == key->raw();
    if (known)
        return s.refuse_command("register_portable",
                                make_error("appliance.already_registered",
                                           "This key is already registered here (or it is this "
                                           "appliance's own key)."),
                                details);
    BALLOTBOX_TRY(s.record_command("register_portable", nullptr, details));
    BALLOTBOX_TRY(s.book->append(ledger::event_type::portable_registered,
                                 {{"key", id}, {"at", seconds_since_epoch(s.now())}}));
    s.portables.push_back({key->raw(), false, false});
    return ok_status();
}

result<portable_import_summary> poll_day::import_portable(const std::filesystem::path& file) {
    auto& s = *impl_;
    if (auto e = station_state_refusal(s.state, true))
        return s.state == poll_state::set_up ? s.refuse_command("import_portable", *e) : *e;
    if (auto e = s.station_only("import_portable"))
        return *e;
    BALLOTBOX_TRY(s.tick());
    portable_expectations expect;
    expect.package = &*s.package;
    expect.mac_key = s.mac_key.view();
    for (const auto& box : s.portables)
        expect.registered_keys.push_back(box.key);
    auto checked = check_portable_ledger(file, expect);
    if (!checked)
        return s.refuse_command("import_portable", checked.err());
    const auto id = portable_key_id(checked->appliance_key);
    impl::registered_portable* box = nullptr;
    for (auto& b : s.portables)
        if (b.key == checked->appliance_key)
            box = &b;
    if (box->imported || box->not_used)
        return s.refuse_command(
            "import_portable",
            make_error("appliance.portable_already_imported",
                       box->imported ? "This portable box's ledger was imported already; "
                                       "nothing was added."
                                     : "The chair recorded that this portable box was not used; "
                                       "its ledger cannot be imported after that."),
            {{"key", id}});

    std::vector<ledger::ballot> ballots;
    std::vector<cardio::one_time_token> tokens;
    std::uint64_t in_box = 0;
    for (std::size_t i = 0; i < checked->ballots.size(); ++i) {
        const auto& t = checked->tokens[i];
        if (s.box_tokens.contains(t) || s.cancelled_tokens.contains(t)) {
            ++in_box;
            continue;
        }
        ballots.push_back(checked->ballots[i]);
        tokens.push_back(t);
    }
    std::int64_t issued_total = 0, cancelled_total = 0;
    boost::json::object issued, cancelled;
    for (const auto& [style, n] : checked->issued) {
        issued[style] = n;
        issued_total += n;
    }
    for (const auto& [style, n] : checked->cancelled) {
        cancelled[style] = n;
        cancelled_total += n;
    }
    BALLOTBOX_TRY(s.record_command("import_portable", nullptr, {{"key", id}}));
    boost::json::object body{{"key", id},
                             {"tree_size", checked->tree_size},
                             {"root", to_hex(checked->root)},
                             {"checkpoint", checked->final_checkpoint},
                             {"ballots", ballots.size()},
                             {"already_in_box", in_box},
                             {"issued", std::move(issued)},
                             {"cancelled", std::move(cancelled)},
                             {"issued_total", issued_total},
                             {"cancelled_total", cancelled_total},
                             {"at", seconds_since_epoch(s.now())}};
    BALLOTBOX_ASSIGN_OR_RETURN(auto seq, s.book->append_portable_import(ballots, body));
    for (const auto& t : tokens)
        s.box_tokens.insert(t);
    s.counts.cast += ballots.size();
    s.counts.issued += static_cast<std::uint64_t>(issued_total);
    s.counts.cancelled += static_cast<std::uint64_t>(cancelled_total);
    box->imported = true;

    portable_import_summary out;
    out.key_id = id;
    out.ballots = ballots.size();
    out.already_in_box = in_box;
    out.issued = issued_total;
    out.cancelled = cancelled_total;
    out.tree_size = checked->tree_size;
    out.ledger_seq = seq;
    return out;
}

status poll_day::record_portable_not_used() {
    auto& s = *impl_;
    if (auto e = station_state_refusal(s.state, false))
        return *e;
    if (auto e = s.station_only("portable_not_used"))
        return *e;
    boost::json::array keys;
    for (const auto& box : s.portables)
        if (!box.imported && !box.not_used)
            keys.push_back(boost::json::string(portable_key_id(box.key)));
    if (keys.empty())
        return s.refuse_command("portable_not_used",
                                make_error("appliance.no_portable_box",
                                           "No registered portable box is waiting for its "
                                           "import."));
    BALLOTBOX_TRY(s.record_command("portable_not_used", nullptr));
    BALLOTBOX_TRY(s.book->append(ledger::event_type::portable_not_used,
                                 {{"keys", keys}, {"at", seconds_since_epoch(s.now())}}));
    for (auto& box : s.portables)
        if (!box.imported)
            box.not_used = true;
    return ok_status();
}

}  // namespace ballotbox::appliance
