// Deriving the poll-day state from the ledger alone (docs/poll-day.md, "Restart").
#include "appliance/poll_day_impl.h"
#include "ledger/canonical_json.h"

namespace ballotbox::appliance {
namespace {

error replay_error(std::uint64_t seq, const std::string& why) {
    return make_error("appliance.replay_failed",
                      "Ledger entry " + std::to_string(seq) + " cannot be replayed: " + why +
                          ". The ledger verifies but was not written by this appliance's rules; "
                          "call the territorial commission.");
}

std::optional<std::int64_t> int_field(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr)
        return std::nullopt;
    if (v->is_int64())
        return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->get_uint64());
    return std::nullopt;
}

std::string_view string_field(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

time_point from_seconds(std::int64_t s) {
    return time_point(std::chrono::seconds(s));
}

}  // namespace

// The portable box events: registered {"key"}, import {"key", "issued", "cancelled", ...},
// not_used {"keys": [...]}.
status poll_day::impl::replay_portable(std::uint64_t seq, ledger::event_type type,
                                       const boost::json::object& body) {
    auto find = [&](std::string_view hex) -> registered_portable* {
        for (auto& box : portables)
            if (to_hex(box.key) == hex)
                return &box;
        return nullptr;
    };
    if (type == ledger::event_type::portable_registered) {
        auto key = from_hex(string_field(body, "key"));
        if (!key || key->size() != 32 || find(string_field(body, "key")) != nullptr)
            return replay_error(seq, "a portable box registered without a new key");
        registered_portable box;
        std::copy(key->begin(), key->end(), box.key.begin());
        portables.push_back(box);
        return ok_status();
    }
    if (type == ledger::event_type::portable_import) {
        auto* box = find(string_field(body, "key"));
        auto issued = int_field(body, "issued_total");
        auto cancelled = int_field(body, "cancelled_total");
        if (box == nullptr || box->imported || !issued || !cancelled || *issued < 0 ||
            *cancelled < 0)
            return replay_error(seq, "an import of a portable box not registered or already in");
        box->imported = true;
        counts.issued += static_cast<std::uint64_t>(*issued);
        counts.cancelled += static_cast<std::uint64_t>(*cancelled);
        return ok_status();
    }
    const auto* keys = body.if_contains("keys");
    if (keys == nullptr || !keys->is_array())
        return replay_error(seq, "a portable-not-used event without its keys");
    for (const auto& k : keys->get_array()) {
        auto* box = k.is_string() ? find(k.get_string()) : nullptr;
        if (box == nullptr || box->imported)
            return replay_error(seq, "a portable box recorded as not used that was not registered");
        box->not_used = true;
    }
    return ok_status();
}

status poll_day::impl::replay() {
    state = poll_state::set_up;
    counts = {};
    box_tokens.clear();
    cancelled_tokens.clear();
    next_style = package->styles.front().id;
    next_report = 0;
    wrong_tries = 0;
    last_wrong_try.reset();
    portables.clear();

    // One query over the chain (a read_entry per entry prepares a statement each).
    BALLOTBOX_TRY(book->for_each_entry([&](const ledger::entry& e) -> ballotbox::status {
        const std::uint64_t seq = e.seq;
        if (seq == 0)
            return ok_status();  // genesis
        auto parsed = ledger::parse_canonical_json(e.body);
        if (!parsed)
            return replay_error(seq, parsed.err().message);
        const auto& body = *parsed;
        using ledger::event_type;
        switch (e.type) {
            case event_type::operator_command: {
                auto command = string_field(body, "command");
                bool accepted = string_field(body, "outcome") == "accepted";
                if (command == "open" && string_field(body, "error") == "appliance.wrong_secret") {
                    auto at = int_field(body, "at");
                    if (!at)
                        return replay_error(seq, "a refused opening without its time");
                    ++wrong_tries;
                    last_wrong_try = from_seconds(*at);
                } else if (command == "select_style" && accepted) {
                    auto style = string_field(body, "style");
                    if (package->find_style(style) == nullptr)
                        return replay_error(seq, "a style the package does not have");
                    next_style = std::string(style);
                }
                break;
            }
            case event_type::opening: {
                auto at = int_field(body, "at");
                if (!at || state != poll_state::set_up)
                    return replay_error(seq, "an opening out of place or without its time");
                state = poll_state::open;
                wrong_tries = 0;
                last_wrong_try.reset();
                // The opening time is stored in whole seconds: compare at that resolution.
                while (next_report < schedule.size() &&
                       seconds_since_epoch(schedule[next_report].at) <= *at &&
                       !schedule[next_report].closing_time)
                    ++next_report;
                break;
            }
            case event_type::issue:
                ++counts.issued;
                break;
            case event_type::cast:
                ++counts.cast;
                break;
            case event_type::cancel: {
                auto token = from_hex(string_field(body, "token"));
                if (!token || token->size() != cardio::token_size)
                    return replay_error(seq, "a cancel event without its token");
                cardio::one_time_token t{};
                std::copy(token->begin(), token->end(), t.begin());
                cancelled_tokens.insert(t);
                ++counts.cancelled;
                break;
            }
            case event_type::rejected_card: {
                auto code = int_field(body, "reason");
                auto reason = code ? refusal_reason_from_code(*code) : std::nullopt;
                if (!reason)
                    return replay_error(seq, "an unknown refusal reason");
                if (!is_note(*reason))
                    ++counts.rejected;
                break;
            }
            case event_type::turnout: {
                auto at = int_field(body, "at");
                if (!at || next_report >= schedule.size() ||
                    seconds_since_epoch(schedule[next_report].at) != *at)
                    return replay_error(seq, "a turnout report out of schedule");
                if (schedule[next_report].closing_time)
                    state = poll_state::closing;
                ++next_report;
                break;
            }
            case event_type::closing:
                state = poll_state::closed;
                break;
            case event_type::portable_registered:
            case event_type::portable_import:
            case event_type::portable_not_used: {
                BALLOTBOX_TRY(replay_portable(seq, e.type, body));
                break;
            }
            default:
                break;
        }
        return ok_status();
    }));
    BALLOTBOX_ASSIGN_OR_RETURN(auto box, book->ballots());
    for (const auto& b : box) {
        if (b.content.token.size() != cardio::token_size)
            return replay_error(0, "a ballot whose token is not 16 bytes");
        cardio::one_time_token t{};
        std::copy(b.content.token.begin(), b.content.token.end(), t.begin());
        box_tokens.insert(t);
    }
    if (box.size() != counts.cast)
        return replay_error(book->size() - 1, "casts in the chain differ from the box");
    return ok_status();
}

}  // namespace ballotbox::appliance
