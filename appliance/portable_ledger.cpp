#include "appliance/portable_ledger.h"

#include <algorithm>
#include <set>

#include "appliance/state_files.h"
#include "appliance/style_match.h"
#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "ledger/canonical_json.h"
#include "ledger/ledger.h"

namespace ballotbox::appliance {
namespace {

std::string_view text_of(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

error bad_event(std::uint64_t seq, const std::string& why) {
    return make_error("portable.bad_event",
                      "Entry " + std::to_string(seq) + " of the portable ledger " + why + ".");
}

// The issued and cancelled cards per style, and the cancelled tokens.
status count_cards(ledger::ledger& book, const election::election_package& pk,
                   portable_ledger_summary& out, std::set<cardio::one_time_token>& cancelled) {
    return book.for_each_entry([&](const ledger::entry& e) -> status {
        const std::uint64_t seq = e.seq;
        if (e.type != ledger::event_type::issue && e.type != ledger::event_type::cancel)
            return ok_status();
        auto body = ledger::parse_canonical_json(e.body);
        if (!body)
            return bad_event(seq, "is not canonical JSON");
        auto style = text_of(*body, "style");
        if (pk.find_style(style) == nullptr)
            return bad_event(seq, "names no ballot style of the package");
        if (text_of(*body, "box") != "portable")
            return bad_event(seq, "is not marked as the portable box's");
        if (e.type == ledger::event_type::issue) {
            ++out.issued[std::string(style)];
            return ok_status();
        }
        auto token = from_hex(text_of(*body, "token"));
        if (!token || token->size() != cardio::token_size)
            return bad_event(seq, "cancels a card without its token");
        cardio::one_time_token t{};
        std::copy(token->begin(), token->end(), t.begin());
        cancelled.insert(t);
        ++out.cancelled[std::string(style)];
        return ok_status();
    });
}

// The checks a stationary appliance makes of a voted card at the table.
// booth_ids: the key id of each of the package's booths, in package order.
status check_ballot(const ledger::stored_ballot& s, const portable_expectations& expect,
                    const std::vector<cardio::booth_key_id>& booth_ids,
                    cardio::one_time_token& token) {
    const auto& pk = *expect.package;
    auto bad = [&](const std::string& why) {
        return make_error("portable.bad_ballot",
                          "The portable ballot under box key " + to_hex(s.key) + " " + why + ".");
    };
    if (s.content.source != ledger::ballot_source::portable)
        return bad("is not marked as cast in the portable box");
    auto record = cardio::parse_card_record(s.content.record);
    if (!record)
        return bad("cannot be decoded: " + record.err().message);
    const auto* voted = std::get_if<cardio::voted_card>(&*record);
    if (voted == nullptr)
        return bad("is not a voted card");
    const auto& issue = voted->issued.issue;
    if (issue.election_id != pk.package_hash)
        return bad("belongs to another election");
    if (issue.station_id != pk.station_id)
        return bad("belongs to station \"" + issue.station_id + "\"");
    if (!std::equal(s.content.token.begin(), s.content.token.end(), issue.token.begin(),
                    issue.token.end()))
        return bad("is stored under a token that is not its card's");
    auto booth = std::find(booth_ids.begin(), booth_ids.end(), voted->booth);
    if (booth == booth_ids.end())
        return bad("was signed by a booth the package does not have");
    const auto& booth_key =
        pk.booths[static_cast<std::size_t>(booth - booth_ids.begin())].public_key;
    if (auto v = cardio::verify_booth_signature(*voted, booth_key); !v)
        return bad("has a booth signature that does not verify");
    if (auto v = cardio::verify_issue_mac(expect.mac_key, voted->issued); !v)
        return bad("was not issued with this station's key");
    auto check = match_style(pk, issue.style);
    if (check.refusal)
        return bad("has races that are no ballot style of the package");
    token = issue.token;
    return ok_status();
}

}  // namespace

std::string portable_key_id(const crypto::ed25519_raw_public_key& key) {
    return to_hex(key);
}

result<portable_ledger_summary> check_portable_ledger(const std::filesystem::path& file,
                                                      const portable_expectations& expect) {
    const auto& pk = *expect.package;
    auto opened = ledger::ledger::open_read_only(file);
    if (!opened)
        return make_error("portable.ledger_invalid",
                          "The portable ledger \"" + file.filename().string() +
                              "\" does not verify: " + opened.err().message);
    auto& book = *opened;
    const auto& g = book.genesis();
    if (text_of(g.extra, "role") != "portable")
        return make_error("portable.not_portable",
                          "This ledger was not made by a portable ballot box (it is a station's "
                          "own ledger).");
    if (text_of(g.extra, "station_id") != pk.station_id)
        return make_error("portable.other_station",
                          "This portable ledger belongs to station \"" +
                              std::string(text_of(g.extra, "station_id")) + "\", not " +
                              pk.station_id + ".");
    if (g.election_package_sha256 != pk.package_hash)
        return make_error("portable.other_election",
                          "This portable ledger is for another election package.");
    if (text_of(g.extra, "mac_key_commitment") != mac_key_commitment(expect.mac_key))
        return make_error("portable.other_kit",
                          "This portable box was not set up with this station's kit.");
    if (std::find(expect.registered_keys.begin(), expect.registered_keys.end(), g.appliance_key) ==
        expect.registered_keys.end())
        return make_error("portable.not_registered", "This portable box's key " +
                                                         portable_key_id(g.appliance_key) +
                                                         " was never registered at this station.");
    if (!book.finalized())
        return make_error("portable.not_closed",
                          "The portable box was not closed: close it (ballotbox close on the "
                          "portable appliance) and copy its ledger again.");

    portable_ledger_summary out;
    out.appliance_key = g.appliance_key;
    BALLOTBOX_ASSIGN_OR_RETURN(auto checkpoints, book.checkpoints());
    if (checkpoints.empty() || checkpoints.back().kind != ledger::checkpoint_kind::final ||
        checkpoints.back().tree_size != book.size())
        return make_error("portable.not_closed", "The portable ledger has no final checkpoint.");
    out.tree_size = book.size();
    out.root = book.root();
    out.final_checkpoint = checkpoints.back().note;

    std::set<cardio::one_time_token> cancelled;
    BALLOTBOX_TRY(count_cards(book, pk, out, cancelled));
    BALLOTBOX_ASSIGN_OR_RETURN(auto box, book.ballots());
    std::vector<cardio::booth_key_id> booth_ids;
    for (const auto& b : pk.booths)
        booth_ids.push_back(cardio::booth_key_id_of(b.public_key));
    std::set<cardio::one_time_token> seen;
    for (const auto& s : box) {
        cardio::one_time_token token{};
        BALLOTBOX_TRY(check_ballot(s, expect, booth_ids, token));
        if (!seen.insert(token).second || cancelled.contains(token))
            return make_error("portable.bad_ballot", "The portable ballot under box key " +
                                                         to_hex(s.key) +
                                                         " has a token used twice or cancelled.");
        out.ballots.push_back(s.content);
        out.tokens.push_back(token);
    }
    return out;
}

}  // namespace ballotbox::appliance
