// The cards at the table: issue, cast, the notes for tokens already used, refusals, and the
// poll worker's confirmed cancel (docs/poll-day.md, "The card flow"). Ledger first, card
// second, always.
#include <algorithm>

#include "appliance/card_io.h"
#include "appliance/poll_day_impl.h"
#include "appliance/style_match.h"
#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"

namespace ballotbox::appliance {
namespace {

using cardio::card_record;

std::string_view state_name(const card_record& r) {
    switch (cardio::state_of(r)) {
        case cardio::card_state::blank:
            return "blank";
        case cardio::card_state::issued:
            return "issued";
        default:
            return "voted";
    }
}

refusal_reason reason_for_transport(const error& e) {
    return e.code == "card.removed"          ? refusal_reason::removed
           : e.code == "card.file_not_found" ? refusal_reason::not_a_ballot_card
                                             : refusal_reason::unreadable;
}

refusal_reason reason_for_parse(const error& e) {
    if (e.code == "card.torn_write")
        return refusal_reason::torn;
    if (e.code == "card.bad_magic")
        return refusal_reason::not_a_ballot_card;
    if (e.code == "card.choice_out_of_range")
        return refusal_reason::choice_out_of_range;
    return refusal_reason::malformed;
}

localized_text text(std::string en, std::string ru, std::string kk) {
    return {std::move(en), std::move(ru), std::move(kk)};
}

}  // namespace

card_report poll_day::impl::handle_card(cardio::card_transport& transport) {
    card_report rep;
    rep.training = training();

    // The refusal report, recorded as a rejected_card event when the ledger can take it.
    auto refuse = [&](refusal_reason reason, std::optional<error> detail, std::string_view card,
                      bool cleared = false) {
        rep.outcome = is_note(reason) ? card_outcome::already_recorded : card_outcome::refused;
        rep.reason = reason;
        rep.headline = refusal_headline(reason);
        rep.what_to_do = refusal_what_to_do(reason);
        rep.detail = std::move(detail);
        rep.card_cleared = cleared;
        if (book && !book->closed() && !book->must_reopen()) {
            boost::json::object body{{"reason", reason_code(reason)},
                                     {"name", refusal_reason_name(reason)},
                                     {"card", card},
                                     {"cleared", cleared}};
            if (rep.detail)
                body["detail"] = rep.detail->code;
            if (auto seq = book->append(ledger::event_type::rejected_card, body)) {
                rep.ledger_seq = *seq;
                if (!is_note(reason))
                    ++counts.rejected;
            }
        }
        last_card = rep;
        return rep;
    };
    auto storage_failed = [&](const error& e) {
        rep.outcome = card_outcome::refused;
        rep.reason = refusal_reason::storage_failure;
        rep.headline = refusal_headline(refusal_reason::storage_failure);
        rep.what_to_do = refusal_what_to_do(refusal_reason::storage_failure);
        rep.detail = e;
        last_card = rep;
        return rep;
    };

    if (state == poll_state::unconfigured || state == poll_state::set_up)
        return refuse(refusal_reason::polls_not_open, std::nullopt, "unknown");
    if (state == poll_state::closed)
        return refuse(refusal_reason::poll_ended, std::nullopt, "unknown");
    if (auto t = tick(); !t)
        return storage_failed(t.err());

    auto contents = read_card(transport);
    if (!contents)
        return refuse(reason_for_transport(contents.err()), contents.err(), "unknown");
    auto image = std::move(contents->image);
    if (!contents->record) {
        auto reason = reason_for_parse(contents->record.err());
        bool cleared = false;
        if (reason == refusal_reason::torn)
            cleared = write_card(transport, image, cardio::blank_card{}).ok();
        return refuse(reason, contents->record.err(), "unknown", cleared);
    }
    const auto& record = *contents->record;
    const auto& pk = *package;

    // A blank card: issue it (ledger first, then the card).
    if (std::holds_alternative<cardio::blank_card>(record)) {
        if (state == poll_state::closing)
            return refuse(refusal_reason::polls_closed, std::nullopt, "blank");
        const auto* style = pk.find_style(next_style);
        cardio::issue_data issue;
        issue.election_id = pk.package_hash;
        issue.station_id = pk.station_id;
        for (auto b : style->ballots)
            issue.style.push_back({static_cast<std::uint8_t>(b),
                                   static_cast<std::uint8_t>(pk.ballots[b].options.size())});
        config.random->fill(issue.token);
        auto issued = cardio::make_issued_card(mac_key.view(), issue);
        if (!issued)
            return storage_failed(issued.err());
        boost::json::object issue_body{{"style", style->id}};
        if (portable_role)
            issue_body["box"] = "portable";
        auto seq = book->append(ledger::event_type::issue, issue_body);
        if (!seq)
            return storage_failed(seq.err());
        ++counts.issued;
        rep.ledger_seq = *seq;
        if (auto w = write_card(transport, image, *issued); !w) {
            // The activation may or may not be on the card: cancel its token so it can never
            // be cast, keeping issued = cast + cancelled + outstanding.
            boost::json::object body{{"reason", "issue_write_failed"},
                                     {"token", to_hex(issue.token)},
                                     {"style", style->id}};
            if (portable_role)
                body["box"] = "portable";
            auto cancel = book->append(ledger::event_type::cancel, body);
            if (!cancel)
                return storage_failed(cancel.err());
            ++counts.cancelled;
            cancelled_tokens.insert(issue.token);
            rep.ledger_seq = *cancel;
            rep.outcome = card_outcome::refused;
            rep.reason = reason_for_transport(w.err());
            rep.headline = refusal_headline(*rep.reason);
            rep.what_to_do = text(
                "The card was not issued. Insert it again to clear it, then issue a card again.",
                "Карта не выдана. Вставьте её снова для очистки, затем выдайте карту заново.",
                "Карта берілмеді. Тазарту үшін қайта салыңыз, содан кейін картаны қайта беріңіз.");
            rep.detail = w.err();
            last_card = rep;
            return rep;
        }
        rep.outcome = card_outcome::issued;
        rep.style_id = style->id;
        rep.headline =
            text("Issued: " + style->id, "Выдана: " + style->id, "Берілді: " + style->id);
        rep.what_to_do = text("Give the card to the voter.", "Передайте карту избирателю.",
                              "Картаны сайлаушыға беріңіз.");
        last_card = rep;
        return rep;
    }

    const auto& issued = std::holds_alternative<cardio::issued_card>(record)
                             ? std::get<cardio::issued_card>(record)
                             : std::get<cardio::voted_card>(record).issued;
    auto card = state_name(record);
    if (issued.issue.election_id != pk.package_hash)
        return refuse(refusal_reason::foreign_election, std::nullopt, card);
    if (issued.issue.station_id != pk.station_id)
        return refuse(refusal_reason::foreign_station, std::nullopt, card);

    const auto* voted = std::get_if<cardio::voted_card>(&record);
    if (voted != nullptr) {
        auto it = std::find(booth_ids.begin(), booth_ids.end(), voted->booth);
        if (it == booth_ids.end())
            return refuse(refusal_reason::booth_unknown, std::nullopt, card);
        const auto& booth = pk.booths[static_cast<std::size_t>(it - booth_ids.begin())];
        if (auto s = cardio::verify_booth_signature(*voted, booth.public_key); !s)
            return refuse(refusal_reason::booth_signature_wrong, s.err(), card);
    }
    if (auto s = cardio::verify_issue_mac(mac_key.view(), issued); !s)
        return refuse(voted ? refusal_reason::token_not_issued_here : refusal_reason::mac_wrong,
                      s.err(), card);
    auto check = match_style(pk, issued.issue.style);
    if (check.refusal)
        return refuse(*check.refusal, std::nullopt, card);
    if (voted != nullptr)
        for (std::size_t i = 0; i < voted->choices.size(); ++i)
            if (voted->choices[i].kind == cardio::choice_kind::against_all &&
                !pk.ballots[issued.issue.style[i].race].against_all)
                return refuse(refusal_reason::choice_out_of_range, std::nullopt, card);
    rep.style_id = check.style_id;

    // A token already in the ledger: clear the card, never count it again.
    bool in_box = box_tokens.contains(issued.issue.token);
    if (in_box || cancelled_tokens.contains(issued.issue.token)) {
        bool cleared = write_card(transport, image, cardio::blank_card{}).ok();
        auto r = refuse(in_box ? refusal_reason::already_recorded : refusal_reason::token_cancelled,
                        std::nullopt, card, cleared);
        if (!cleared) {
            r.what_to_do = text("The card could not be cleared. Insert it again.",
                                "Карту не удалось очистить. Вставьте её снова.",
                                "Картаны тазарту мүмкін болмады. Қайта салыңыз.");
            last_card = r;
        }
        return r;
    }

    if (voted == nullptr) {
        rep.outcome = card_outcome::not_voted_yet;
        rep.headline =
            text("Issued, not voted yet", "Выдана, не проголосовано", "Берілген, дауыс берілмеген");
        rep.what_to_do = text(
            "Give it back to its voter. To cancel it, confirm the cancel with the card inserted.",
            "Верните её избирателю. Чтобы аннулировать, подтвердите отмену, не вынимая карту.",
            "Сайлаушысына қайтарыңыз. Жою үшін картаны шығармай жоюды растаңыз.");
        last_card = rep;
        return rep;
    }

    // Cast: the ballot into the box, then clear the card.
    ledger::ballot b;
    auto encoded = cardio::encode_card_record(record);
    if (!encoded)
        return refuse(refusal_reason::malformed, encoded.err(), card);
    b.record = std::move(*encoded);
    b.booth_signature.assign(voted->signature.begin(), voted->signature.end());
    b.token.assign(issued.issue.token.begin(), issued.issue.token.end());
    if (portable_role)
        b.source = ledger::ballot_source::portable;
    auto seq = book->append_cast(b);
    if (!seq) {
        if (seq.err().code == "ledger.token_already_recorded") {
            box_tokens.insert(issued.issue.token);
            bool cleared = write_card(transport, image, cardio::blank_card{}).ok();
            return refuse(refusal_reason::already_recorded, seq.err(), card, cleared);
        }
        return storage_failed(seq.err());
    }
    ++counts.cast;
    box_tokens.insert(issued.issue.token);
    rep.ledger_seq = *seq;
    rep.running_number = counts.cast;
    rep.outcome = card_outcome::accepted;
    auto n = std::to_string(counts.cast);
    rep.headline = text("Accepted #" + n, "Принято №" + n, "Қабылданды №" + n);
    if (auto w = write_card(transport, image, cardio::blank_card{}); w) {
        rep.card_cleared = true;
        rep.what_to_do =
            text("The ballot is in the box. The card is blank again.",
                 "Бюллетень в урне. Карта снова чистая.", "Бюллетень жәшікте. Карта қайта таза.");
    } else {
        rep.detail = w.err();
        rep.what_to_do =
            text("The ballot is in the box, but the card was not cleared: insert it again.",
                 "Бюллетень в урне, но карта не очищена: вставьте её снова.",
                 "Бюллетень жәшікте, бірақ карта тазартылмады: қайта салыңыз.");
    }
    last_card = rep;
    return rep;
}

card_report poll_day::impl::cancel_card(cardio::card_transport& transport) {
    card_report rep;
    rep.training = training();
    rep.outcome = card_outcome::refused;
    auto refuse = [&](error e, std::optional<refusal_reason> reason, localized_text headline,
                      localized_text todo) {
        rep.reason = reason;
        rep.headline = std::move(headline);
        rep.what_to_do = std::move(todo);
        rep.detail = refuse_command("cancel", std::move(e));
        last_card = rep;
        return rep;
    };
    auto refuse_reason = [&](refusal_reason reason, std::optional<error> detail) {
        auto e = detail ? *detail
                        : make_error("appliance." + std::string(refusal_reason_name(reason)),
                                     refusal_headline(reason).en);
        return refuse(std::move(e), reason, refusal_headline(reason), refusal_what_to_do(reason));
    };

    if (state == poll_state::unconfigured || state == poll_state::set_up)
        return refuse_reason(refusal_reason::polls_not_open, std::nullopt);
    if (state == poll_state::closed)
        return refuse_reason(refusal_reason::poll_ended, std::nullopt);
    if (auto t = tick(); !t)
        return refuse_reason(refusal_reason::storage_failure, t.err());
    auto contents = read_card(transport);
    if (!contents)
        return refuse_reason(reason_for_transport(contents.err()), contents.err());
    if (!contents->record)
        return refuse_reason(reason_for_parse(contents->record.err()), contents->record.err());
    const auto* issued = std::get_if<cardio::issued_card>(&*contents->record);
    if (issued == nullptr)
        return refuse(make_error("appliance.not_an_issued_card",
                                 "Only an issued card that was not voted can be cancelled."),
                      std::nullopt,
                      text("Nothing to cancel", "Нечего аннулировать", "Жоятын ештеңе жоқ"),
                      text("Only an issued, unvoted card can be cancelled. Insert it to cast it or "
                           "issue it.",
                           "Аннулировать можно только выданную непроголосованную карту.",
                           "Тек берілген, дауыс берілмеген картаны жоюға болады."));
    const auto& pk = *package;
    if (issued->issue.election_id != pk.package_hash)
        return refuse_reason(refusal_reason::foreign_election, std::nullopt);
    if (issued->issue.station_id != pk.station_id)
        return refuse_reason(refusal_reason::foreign_station, std::nullopt);
    if (auto s = cardio::verify_issue_mac(mac_key.view(), *issued); !s)
        return refuse_reason(refusal_reason::mac_wrong, s.err());
    auto check = match_style(pk, issued->issue.style);
    rep.style_id = check.style_id;
    const auto& token = issued->issue.token;
    if (box_tokens.contains(token) || cancelled_tokens.contains(token)) {
        rep.card_cleared = write_card(transport, contents->image, cardio::blank_card{}).ok();
        auto reason = box_tokens.contains(token) ? refusal_reason::already_recorded
                                                 : refusal_reason::token_cancelled;
        rep.outcome = card_outcome::already_recorded;
        rep.reason = reason;
        rep.headline = refusal_headline(reason);
        rep.what_to_do = refusal_what_to_do(reason);
        if (auto seq = record_command("cancel", nullptr, {{"note", refusal_reason_name(reason)}}))
            rep.ledger_seq = *seq;
        last_card = rep;
        return rep;
    }
    if (auto seq = record_command("cancel", nullptr); !seq)
        return refuse_reason(refusal_reason::storage_failure, seq.err());
    boost::json::object cancel_body{{"reason", "confirmed"}, {"token", to_hex(token)}};
    if (!check.refusal)
        cancel_body["style"] = check.style_id;
    if (portable_role)
        cancel_body["box"] = "portable";
    auto seq = book->append(ledger::event_type::cancel, cancel_body);
    if (!seq)
        return refuse_reason(refusal_reason::storage_failure, seq.err());
    ++counts.cancelled;
    cancelled_tokens.insert(token);
    rep.ledger_seq = *seq;
    rep.outcome = card_outcome::cancelled;
    rep.reason.reset();
    rep.headline = text("Cancelled", "Аннулирована", "Жойылды");
    if (write_card(transport, contents->image, cardio::blank_card{})) {
        rep.card_cleared = true;
        rep.what_to_do =
            text("The card is blank again.", "Карта снова чистая.", "Карта қайта таза.");
    } else {
        rep.what_to_do = text("Cancelled, but the card was not cleared: insert it again.",
                              "Аннулирована, но карта не очищена: вставьте её снова.",
                              "Жойылды, бірақ карта тазартылмады: қайта салыңыз.");
    }
    last_card = rep;
    return rep;
}

}  // namespace ballotbox::appliance
