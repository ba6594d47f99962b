#include "protocol/tally.h"

#include <boost/json.hpp>
#include <map>

#include "cardio/card_codec.h"
#include "common/canonical_json.h"
#include "election/local_time.h"
#include "ledger/checkpoint.h"
#include "protocol/reconciliation.h"

namespace ballotbox::protocol {
namespace json = boost::json;

std::string rfc3339_local(std::string_view zone, time_point instant) {
    auto s = election::format_local(zone, instant);  // "YYYY-MM-DD HH:MM:SS +ZZZZ"
    if (s.size() != 25)
        return s;
    return s.substr(0, 10) + "T" + s.substr(11, 8) + s.substr(20, 3) + ":" + s.substr(23, 2);
}

namespace {

struct style_counts {
    std::int64_t issued_station = 0;
    std::int64_t issued_portable = 0;
    std::int64_t cancelled = 0;
};

error bad_body(const ledger::entry& e, const std::string& why) {
    return make_error(
        "protocol.bad_event_body",
        "Ledger entry " + std::to_string(e.seq) + " (" +
            std::string(ledger::event_type_name(static_cast<std::uint32_t>(e.type)).value_or("?")) +
            "): " + why);
}

result<json::object> body_object(const ledger::entry& e) {
    auto v = parse_json_strict(e.body);
    if (!v || !v->is_object())
        return bad_body(e, "the body is not a JSON object.");
    return v->as_object();
}

std::optional<std::string> string_member(const json::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end() || !it->value().is_string())
        return std::nullopt;
    return std::string(it->value().as_string());
}

std::optional<std::int64_t> int_member(const json::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end())
        return std::nullopt;
    if (it->value().is_int64())
        return it->value().as_int64();
    if (it->value().is_uint64() && it->value().as_uint64() < (std::uint64_t{1} << 62))
        return static_cast<std::int64_t>(it->value().as_uint64());
    return std::nullopt;
}

ledger::checkpoint_kind checkpoint_kind_for(report_kind k) {
    switch (k) {
        case report_kind::zero:
            return ledger::checkpoint_kind::opening;
        case report_kind::turnout:
            return ledger::checkpoint_kind::turnout;
        case report_kind::result:
            return ledger::checkpoint_kind::final;
    }
    return ledger::checkpoint_kind::final;
}

struct ledger_walk {
    std::map<std::string, style_counts> styles;
    std::int64_t cast_events_pinned = 0;  // cast events within the pinned tree
    std::int64_t cast_events_total = 0;
    bool cancel_style_guessed = false;
    bool portable_registered = false;
    bool portable_imported = false;
    bool portable_issued = false;              // issue events of the portable box itself
    std::int64_t portable_boxes = 0;           // portable_registered events
    std::int64_t portable_boxes_imported = 0;  // portable_import events
    std::int64_t portable_boxes_not_used = 0;  // keys in portable_not_used events
    std::int64_t voters_added = 0;
    std::optional<std::int64_t> event_at;
};

result<ledger_walk> walk(ledger::ledger& book, const election::election_package& pk,
                         std::uint64_t pinned_size) {
    ledger_walk w;
    std::optional<std::string> previous_issue_style;
    // One query over the chain: a read_entry per entry cost a prepared statement each,
    // most of the time of a big day's tally.
    BALLOTBOX_TRY(book.for_each_entry([&](const ledger::entry& e) -> status {
        const std::uint64_t seq = e.seq;
        bool pinned = seq < pinned_size;
        std::optional<std::string> issue_style;
        if (e.type == ledger::event_type::cast) {
            ++w.cast_events_total;
            if (pinned)
                ++w.cast_events_pinned;
        }
        if (!pinned)
            return ok_status();
        switch (e.type) {
            case ledger::event_type::issue: {
                BALLOTBOX_ASSIGN_OR_RETURN(auto o, body_object(e));
                auto style = string_member(o, "style");
                if (!style)
                    return bad_body(e, "an issue event without a ballot style.");
                if (pk.find_style(*style) == nullptr)
                    return make_error("protocol.unknown_style",
                                      "Ledger entry " + std::to_string(seq) + " issues style \"" +
                                          *style + "\", which the election package does not have.");
                auto box = string_member(o, "box").value_or("stationary");
                if (box != "stationary" && box != "portable")
                    return bad_body(e, "\"box\" must be \"stationary\" or \"portable\".");
                if (box == "portable") {
                    ++w.styles[*style].issued_portable;
                    w.portable_registered = true;
                    w.portable_issued = true;
                } else {
                    ++w.styles[*style].issued_station;
                }
                issue_style = *style;
                break;
            }
            case ledger::event_type::cancel: {
                BALLOTBOX_ASSIGN_OR_RETURN(auto o, body_object(e));
                auto style = string_member(o, "style");
                if (style && pk.find_style(*style) == nullptr)
                    return make_error("protocol.unknown_style",
                                      "Ledger entry " + std::to_string(seq) +
                                          " cancels a card of style \"" + *style +
                                          "\", which the election package does not have.");
                if (!style && previous_issue_style)
                    style = previous_issue_style;
                if (!style) {
                    style = pk.styles.front().id;
                    if (pk.styles.size() > 1)
                        w.cancel_style_guessed = true;
                }
                ++w.styles[*style].cancelled;
                break;
            }
            case ledger::event_type::portable_registered:
                w.portable_registered = true;
                ++w.portable_boxes;
                break;
            case ledger::event_type::portable_import: {
                w.portable_imported = true;
                w.portable_registered = true;
                ++w.portable_boxes_imported;
                BALLOTBOX_ASSIGN_OR_RETURN(auto o, body_object(e));
                // The portable box's own issued and cancelled cards, per style.
                for (const char* field : {"issued", "cancelled"}) {
                    const auto* per_style = o.if_contains(field);
                    if (per_style == nullptr || !per_style->is_object())
                        return bad_body(e, std::string("an import without its \"") + field +
                                               "\" cards per style.");
                    for (const auto& [style, n] : per_style->get_object()) {
                        if (pk.find_style(style) == nullptr || !n.is_int64() || n.get_int64() < 0)
                            return bad_body(e, "an import naming an unknown style or count.");
                        auto& counts = w.styles[std::string(style)];
                        (std::string_view(field) == "issued" ? counts.issued_portable
                                                             : counts.cancelled) += n.get_int64();
                    }
                }
                break;
            }
            case ledger::event_type::portable_not_used: {
                BALLOTBOX_ASSIGN_OR_RETURN(auto o, body_object(e));
                const auto* keys = o.if_contains("keys");
                if (keys == nullptr || !keys->is_array())
                    return bad_body(e, "a portable_not_used event without its keys.");
                w.portable_boxes_not_used += static_cast<std::int64_t>(keys->get_array().size());
                break;
            }
            default:
                break;
        }
        if (seq + 1 == pinned_size &&
            (e.type == ledger::event_type::opening || e.type == ledger::event_type::turnout ||
             e.type == ledger::event_type::closing)) {
            BALLOTBOX_ASSIGN_OR_RETURN(auto o, body_object(e));
            w.event_at = int_member(o, "at");
            if (!w.event_at)
                return bad_body(e, "no integer \"at\" (the time of the event).");
            if (e.type == ledger::event_type::closing) {
                if (o.contains("voters_added")) {
                    auto added = int_member(o, "voters_added");
                    if (!added || *added < 0)
                        return bad_body(e, "\"voters_added\" must be a whole number.");
                    w.voters_added = *added;
                }
            }
        }
        previous_issue_style = issue_style;
        return ok_status();
    }));
    return w;
}

struct box_figures {
    std::vector<std::int64_t> cast_station, cast_portable, against_all, blank;
    std::vector<std::vector<std::int64_t>> votes;
};

result<box_figures> count_box(const std::vector<ledger::stored_ballot>& box,
                              const election::election_package& pk) {
    box_figures f;
    auto n = pk.ballots.size();
    f.cast_station.assign(n, 0);
    f.cast_portable.assign(n, 0);
    f.against_all.assign(n, 0);
    f.blank.assign(n, 0);
    f.votes.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        f.votes[i].assign(pk.ballots[i].options.size(), 0);
    for (const auto& s : box) {
        auto where = "The ballot under box key " + to_hex(s.key);
        auto bad = [&](const std::string& why) {
            return make_error("protocol.bad_ballot_record", where + " " + why);
        };
        auto record = cardio::parse_card_record(s.content.record);
        if (!record)
            return bad("cannot be decoded: " + record.err().message);
        const auto* voted = std::get_if<cardio::voted_card>(&*record);
        if (voted == nullptr)
            return bad("is not a voted card.");
        const auto& issue = voted->issued.issue;
        if (issue.election_id != pk.package_hash)
            return bad("belongs to another election.");
        if (issue.station_id != pk.station_id)
            return bad("belongs to station \"" + issue.station_id + "\".");
        if (voted->choices.size() != issue.style.size())
            return bad("has a choice count that does not match its races.");
        for (std::size_t i = 0; i < issue.style.size(); ++i) {
            auto race = issue.style[i].race;
            if (race >= n || issue.style[i].option_count != pk.ballots[race].options.size())
                return bad("carries a race the election package does not have.");
            const auto& c = voted->choices[i];
            if (s.content.source == ledger::ballot_source::portable)
                ++f.cast_portable[race];
            else
                ++f.cast_station[race];
            switch (c.kind) {
                case cardio::choice_kind::option:
                    if (c.option >= f.votes[race].size())
                        return bad("has a choice outside the ballot.");
                    ++f.votes[race][c.option];
                    break;
                case cardio::choice_kind::against_all:
                    if (!pk.ballots[race].against_all)
                        return bad("is marked \"against all\" on a ballot without that line.");
                    ++f.against_all[race];
                    break;
                case cardio::choice_kind::blank:
                    ++f.blank[race];
                    break;
            }
        }
    }
    return f;
}

}  // namespace

result<report> make_report(ledger::ledger& book, const election::election_package& pk,
                           const report_request& request) {
    const auto& genesis = book.genesis();
    if (genesis.election_package_sha256 != pk.package_hash)
        return make_error("protocol.package_mismatch",
                          "The ledger was made for another election package (its genesis pins " +
                              to_hex(genesis.election_package_sha256) + ").");
    // The checkpoint to pin.
    BALLOTBOX_ASSIGN_OR_RETURN(auto checkpoints, book.checkpoints());
    auto want = checkpoint_kind_for(request.kind);
    const ledger::stored_checkpoint* pinned = nullptr;
    for (const auto& c : checkpoints)
        if (c.kind == want &&
            (!request.checkpoint_tree_size || *request.checkpoint_tree_size == c.tree_size))
            pinned = &c;
    if (pinned == nullptr)
        return make_error(
            "protocol.no_checkpoint",
            request.kind == report_kind::result
                ? "The poll is not closed: the ledger has no final checkpoint, so there is no "
                  "result yet."
                : "The ledger has no " + std::string(ledger::checkpoint_kind_name(want)) +
                      " checkpoint" +
                      (request.checkpoint_tree_size
                           ? " at tree size " + std::to_string(*request.checkpoint_tree_size)
                           : std::string()) +
                      ".");
    BALLOTBOX_ASSIGN_OR_RETURN(auto key,
                               crypto::ed25519_public_key::from_raw(genesis.appliance_key));
    auto note = ledger::parse_signed_note(pinned->note);
    auto cp = ledger::open_signed_checkpoint(pinned->note, {genesis.origin, key});
    if (!note || !cp || cp->tree_size != pinned->tree_size || note->signatures.empty())
        return make_error("protocol.checkpoint_invalid",
                          "The checkpoint at tree size " + std::to_string(pinned->tree_size) +
                              " does not verify with the appliance key.");

    BALLOTBOX_ASSIGN_OR_RETURN(auto w, walk(book, pk, pinned->tree_size));
    if (request.kind == report_kind::result &&
        w.portable_boxes > w.portable_boxes_imported + w.portable_boxes_not_used)
        return make_error("protocol.portable_not_imported",
                          "A registered portable ballot box was neither imported nor recorded as "
                          "not used: the result protocol cannot be made before its ballots are "
                          "in.");
    if (!w.event_at)
        return make_error("protocol.checkpoint_invalid",
                          "The checkpoint at tree size " + std::to_string(pinned->tree_size) +
                              " does not follow an opening, turnout or closing entry.");
    BALLOTBOX_ASSIGN_OR_RETURN(auto box, book.ballots());
    if (request.kind == report_kind::zero && (!box.empty() || w.cast_events_total > 0))
        return make_error("protocol.zero_report_after_cast",
                          "Ballots have been cast: the zero report can no longer be printed.");
    if (request.kind == report_kind::turnout && w.cast_events_total != w.cast_events_pinned)
        return make_error("protocol.turnout_superseded",
                          "Ballots were cast after this turnout report; it can no longer be made "
                          "again from the ballot box.");
    BALLOTBOX_ASSIGN_OR_RETURN(auto f, count_box(box, pk));

    protocol_document d;
    d.kind = request.kind;
    d.training = pk.training;
    d.election_id = pk.election_id;
    d.package_sha256 = pk.package_hash;
    d.station_id = pk.station_id;
    d.station_number = pk.station_number;
    d.district_number = pk.district_number;
    d.region = pk.region.en.empty() ? pk.region.ru : pk.region.en;
    d.event_time = rfc3339_local(pk.time_zone, time_point(std::chrono::seconds(*w.event_at)));
    d.ledger.origin = genesis.origin;
    d.ledger.tree_size = cp->tree_size;
    d.ledger.root = cp->root;
    d.ledger.key_id = note->signatures.front().key_id;
    d.ledger.box_root = ledger::box_root(box);
    d.ledger.box_size = box.size();
    d.appliance_key = genesis.appliance_key;
    d.voters_on_list = pk.voters_on_list;
    d.voters_added = w.voters_added;
    bool count_votes = request.kind != report_kind::turnout;
    for (std::size_t i = 0; i < pk.ballots.size(); ++i) {
        const auto& eb = pk.ballots[i];
        ballot_figures b;
        b.id = eb.id;
        for (const auto& st : pk.styles) {
            if (std::find(st.ballots.begin(), st.ballots.end(), i) == st.ballots.end())
                continue;
            auto it = w.styles.find(st.id);
            if (it == w.styles.end())
                continue;
            b.issued_station += it->second.issued_station;
            b.issued_portable += it->second.issued_portable;
            b.cancelled += it->second.cancelled;
        }
        b.cast_station = f.cast_station[i];
        b.cast_portable = f.cast_portable[i];
        auto rest =
            b.issued_station + b.issued_portable - b.cast_station - b.cast_portable - b.cancelled;
        b.not_returned = rest > 0 ? rest : 0;
        b.took_part = b.cast_station + b.cast_portable;
        for (std::size_t o = 0; o < eb.options.size(); ++o)
            b.options.push_back({eb.options[o].id, count_votes ? f.votes[i][o] : 0});
        b.against_all = count_votes ? f.against_all[i] : 0;
        b.blank = count_votes ? f.blank[i] : 0;
        b.turnout_basis_points =
            pk.voters_on_list > 0 ? b.took_part * 10000 / pk.voters_on_list : 0;
        if (b.turnout_basis_points > 10000)
            b.turnout_basis_points = 10000;
        d.ballots.push_back(std::move(b));
    }
    d.checks = compute_checks(d);
    d.checks.push_back(
        {"box_matches_cast_events", static_cast<std::int64_t>(box.size()) == w.cast_events_pinned});
    d.checks.push_back({"cancelled_styles_known", !w.cancel_style_guessed});
    d.portable_box.registered = w.portable_registered;
    d.portable_box.imported = w.portable_imported;
    // Not used: nothing of a portable box in this ledger (neither its import at a station nor,
    // in a portable box's own ledger, its cards).
    d.portable_box.not_used = !w.portable_imported && !w.portable_issued;
    return report{std::move(d), pinned->note};
}

result<report> make_report_from_file(const std::filesystem::path& ledger_path,
                                     const election::election_package& package,
                                     const report_request& request) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto book, ledger::ledger::open_read_only(ledger_path));
    return make_report(book, package, request);
}

}  // namespace ballotbox::protocol
