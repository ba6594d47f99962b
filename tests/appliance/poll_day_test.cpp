// A whole poll day in process: setup, the opening, 300 voters, cancels, every refusal of
// docs/poll-day.md, a turnout report, the closing time and the chair's close; then the
// ledger verifies and its counts and ballots equal what the test saw.
#include <doctest/doctest.h>

#include <map>

#include "appliance/card_io.h"
#include "appliance/state_files.h"
#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "cardio/card_transport_faults.h"
#include "ledger/ledger.h"
#include "ledger/verify.h"
#include "tests/appliance/appliance_fixture.h"

using namespace ballotbox;
using namespace ballotbox::appliance;
using namespace ballotbox::appliance::testing;
using cardio::ballot_choice;

namespace {

// What the test itself saw, to compare with the ledger at the end.
struct seen {
    std::uint64_t issued = 0, cast = 0, cancelled = 0, rejected = 0, notes = 0;
    std::map<std::pair<int, int>, int> tally;  // (race, choice code) -> votes
};

int choice_code(const ballot_choice& c) {
    return c.kind == cardio::choice_kind::option ? c.option : -static_cast<int>(c.kind);
}

card_report expect_refused(station& st, cardio::card_transport& card, refusal_reason reason,
                           seen& s) {
    auto r = st.day->handle_card(card);
    INFO("expected ", refusal_reason_name(reason), ", got ", card_outcome_name(r.outcome), " ",
         r.reason ? refusal_reason_name(*r.reason) : "-", " ", r.headline.en);
    CHECK(r.outcome == card_outcome::refused);
    REQUIRE(r.reason.has_value());
    CHECK(*r.reason == reason);
    CHECK_FALSE(r.headline.en.empty());
    CHECK_FALSE(r.what_to_do.en.empty());
    CHECK_FALSE(r.what_to_do.ru.empty());
    if (reason != refusal_reason::poll_ended) {
        CHECK(r.ledger_seq.has_value());
        ++s.rejected;
    }
    return r;
}

// Issues a card to the next voter and returns it (issued).
model_card issue(station& st, seen& s) {
    model_card card(blank_card_image());
    auto r = st.day->handle_card(card);
    INFO(r.headline.en, " ", r.detail ? r.detail->message : "");
    REQUIRE(r.outcome == card_outcome::issued);
    CHECK(r.ledger_seq.has_value());
    ++s.issued;
    CHECK(std::holds_alternative<cardio::issued_card>(read_record(card)));
    return card;
}

std::vector<ballot_choice> random_choices(crypto::seeded_random& rnd,
                                          const cardio::issued_card& card) {
    std::vector<ballot_choice> out;
    for (const auto& slot : card.issue.style) {
        auto pick = rnd.uniform(slot.option_count + 2u);
        out.push_back(pick < slot.option_count
                          ? ballot_choice::for_option(static_cast<std::uint8_t>(pick))
                      : pick == slot.option_count ? ballot_choice::against_all()
                                                  : ballot_choice::left_blank());
    }
    return out;
}

void vote(station& st, model_card& card, crypto::seeded_random& rnd, seen& s, std::size_t booth) {
    auto issued = std::get<cardio::issued_card>(read_record(card));
    auto choices = random_choices(rnd, issued);
    vote_at_booth(card, st.package.booths[booth % 2], choices);
    for (std::size_t i = 0; i < choices.size(); ++i)
        ++s.tally[{issued.issue.style[i].race, choice_code(choices[i])}];
}

void cast(station& st, model_card& card, seen& s) {
    auto r = st.day->handle_card(card);
    INFO(r.headline.en, " ", r.detail ? r.detail->message : "");
    REQUIRE(r.outcome == card_outcome::accepted);
    ++s.cast;
    CHECK(r.running_number == s.cast);
    CHECK(r.card_cleared);
    CHECK(std::holds_alternative<cardio::blank_card>(read_record(card)));
}

// An issued card made with any key and fields, for the refusals behind the MAC.
cardio::issued_card crafted_issue(const station& st, byte_view mac_key,
                                  std::vector<cardio::race_slot> style = {{0, 7}, {1, 16}}) {
    cardio::issue_data issue;
    issue.election_id = st.package.parsed.package_hash;
    issue.station_id = st.package.parsed.station_id;
    issue.style = std::move(style);
    issue.token.fill(0x5a);
    return cardio::make_issued_card(mac_key, issue).value();
}

model_card card_of(const cardio::card_record& record) {
    return model_card(image_with(cardio::encode_card_record(record).value()));
}

}  // namespace

TEST_CASE("a whole poll day: 300 voters, cancels, every refusal, turnout, closing") {
    station st;
    seen s;
    crypto::seeded_random rnd(99);

    // Unconfigured: a card is refused without a ledger.
    {
        model_card card(blank_card_image());
        auto r = st.day->handle_card(card);
        CHECK(r.reason == refusal_reason::polls_not_open);
        CHECK_FALSE(r.ledger_seq.has_value());
        CHECK(st.day->open(test_secret).err().code == "appliance.not_set_up");
    }

    auto summary = st.day->setup(st.package.file_text);
    REQUIRE(summary.ok());
    CHECK(summary->styles == std::vector<std::string>{"both", "party-list-only"});
    CHECK_FALSE(summary->training);
    CHECK(st.day->state() == poll_state::set_up);
    CHECK(st.day->setup(st.package.file_text).err().code == "appliance.already_set_up");
    auto mac_key = load_mac_key(st.dir.path() / "state").value();

    // Refusals before the opening.
    {
        model_card card(blank_card_image());
        expect_refused(st, card, refusal_reason::polls_not_open, s);
        CHECK(st.day->open(test_secret).err().code == "appliance.too_early");
        CHECK(st.day->close().err().code == "appliance.not_open");
        CHECK(std::holds_alternative<cardio::blank_card>(read_record(card)));
    }

    // Opening: three wrong tries, then slowed down, then the right secret.
    st.clock.set(st.opens_at() + std::chrono::minutes(2));
    for (int i = 0; i < 3; ++i)
        CHECK(st.day->open("wrong").err().code == "appliance.wrong_secret");
    CHECK(st.day->status().next_open_try_at.has_value());
    CHECK(st.day->open(test_secret).err().code == "appliance.try_later");
    st.clock.advance(std::chrono::seconds(31));
    CHECK(st.day->open("still wrong").err().code == "appliance.wrong_secret");
    st.clock.advance(std::chrono::seconds(31));
    CHECK(st.day->open(test_secret).err().code == "appliance.try_later");  // delay doubled
    st.clock.advance(std::chrono::seconds(30));
    REQUIRE(st.day->open(test_secret).ok());
    CHECK(st.day->state() == poll_state::open);
    CHECK(st.day->open(test_secret).err().code == "appliance.already_open");
    CHECK(st.day->close().err().code == "appliance.too_early");
    CHECK(st.day->select_style("nonexistent").err().code == "appliance.unknown_style");

    // Cards kept aside to be cast after the closing time, and one cast card's image copy.
    std::vector<model_card> late;
    std::optional<cardsim::card_image> cast_copy;

    // 300 voters; the clock moves through the morning and crosses the 10:00 report.
    auto step = (st.package.parsed.turnout_reports_at[1] - st.opens_at()) / 310;
    for (int v = 0; v < 300; ++v) {
        st.clock.advance(std::chrono::duration_cast<std::chrono::microseconds>(step));
        if (v == 100)
            REQUIRE(st.day->select_style("party-list-only").ok());
        if (v == 140)
            REQUIRE(st.day->select_style("both").ok());
        auto card = issue(st, s);
        vote(st, card, rnd, s, static_cast<std::size_t>(v));
        if (v >= 295) {
            late.push_back(std::move(card));
            continue;
        }
        if (v == 10)
            cast_copy = card.image();
        cast(st, card, s);
    }
    CHECK(count_ledger(st.ledger_path()).turnout >= 1);
    CHECK(std::filesystem::exists(st.dir.path() / "state" / "exports" / "turnout-1000.json"));
    {
        auto turnouts = bodies_of(st.ledger_path(), ledger::event_type::turnout);
        REQUIRE_FALSE(turnouts.empty());
        CHECK(turnouts[0].at("local_time").as_string().subview(11, 5) == "10:00");
        CHECK(turnouts[0].contains("issued"));
        auto book = ledger::ledger::open_read_only(st.ledger_path());
        REQUIRE(book.ok());
        auto cps = book->checkpoints();
        REQUIRE(cps.ok());
        CHECK(std::count_if(cps->begin(), cps->end(), [](const auto& c) {
                  return c.kind == ledger::checkpoint_kind::turnout;
              }) >= 1);
    }

    // Ten cards cancelled: reinserted unvoted (not taken), then confirmed.
    for (int c = 0; c < 10; ++c) {
        auto card = issue(st, s);
        auto again = st.day->handle_card(card);
        CHECK(again.outcome == card_outcome::not_voted_yet);
        CHECK(std::holds_alternative<cardio::issued_card>(read_record(card)));
        auto r = st.day->cancel_card(card);
        REQUIRE(r.outcome == card_outcome::cancelled);
        CHECK(r.card_cleared);
        ++s.cancelled;
        CHECK(std::holds_alternative<cardio::blank_card>(read_record(card)));
    }
    {
        model_card blank(blank_card_image());
        CHECK(st.day->cancel_card(blank).outcome == card_outcome::refused);
    }

    // A card put back in after being cast: already recorded, cleared, not counted again.
    {
        model_card card(*cast_copy);
        auto r = st.day->handle_card(card);
        CHECK(r.outcome == card_outcome::already_recorded);
        CHECK(r.reason == refusal_reason::already_recorded);
        CHECK(r.card_cleared);
        ++s.notes;
        CHECK(std::holds_alternative<cardio::blank_card>(read_record(card)));
    }

    // Every refusal.
    const auto& booth = st.package.booths[0];
    {
        auto issued = crafted_issue(st, mac_key.view());
        issued.issue.election_id[0] ^= 1;
        issued = cardio::make_issued_card(mac_key.view(), issued.issue).value();
        auto card = card_of(issued);
        expect_refused(st, card, refusal_reason::foreign_election, s);
    }
    {
        auto issue_data = crafted_issue(st, mac_key.view()).issue;
        issue_data.station_id = "astana-0002";
        auto card = card_of(cardio::make_issued_card(mac_key.view(), issue_data).value());
        expect_refused(st, card, refusal_reason::foreign_station, s);
    }
    bytes other_key(32, 0x77);
    {
        auto card = card_of(crafted_issue(st, other_key));
        expect_refused(st, card, refusal_reason::mac_wrong, s);
    }
    {
        auto voted =
            cardio::sign_as_booth(booth, crafted_issue(st, other_key),
                                  {ballot_choice::for_option(1), ballot_choice::left_blank()});
        auto card = card_of(voted.value());
        expect_refused(st, card, refusal_reason::token_not_issued_here, s);
    }
    {
        auto stranger = crypto::ed25519_private_key::generate(rnd);
        auto voted =
            cardio::sign_as_booth(stranger, crafted_issue(st, mac_key.view()),
                                  {ballot_choice::for_option(1), ballot_choice::left_blank()});
        auto card = card_of(voted.value());
        expect_refused(st, card, refusal_reason::booth_unknown, s);
    }
    {
        auto voted =
            cardio::sign_as_booth(booth, crafted_issue(st, mac_key.view()),
                                  {ballot_choice::for_option(1), ballot_choice::left_blank()})
                .value();
        voted.choices[0] = ballot_choice::for_option(2);  // altered after the booth signed
        auto card = card_of(voted);
        expect_refused(st, card, refusal_reason::booth_signature_wrong, s);
    }
    {
        // Nine options on a party list of seven: behind a valid MAC and signature.
        auto voted = cardio::sign_as_booth(booth, crafted_issue(st, mac_key.view(), {{0, 9}}),
                                           {ballot_choice::for_option(8)});
        auto card = card_of(voted.value());
        expect_refused(st, card, refusal_reason::choice_out_of_range, s);
    }
    {
        auto card = card_of(crafted_issue(st, mac_key.view(), {{1, 16}}));  // district only
        expect_refused(st, card, refusal_reason::style_unknown, s);
    }
    {
        auto bytes_ = cardio::encode_card_record(crafted_issue(st, mac_key.view())).value();
        bytes_[20] ^= 0xff;  // the checksum no longer matches
        model_card card(image_with(bytes_));
        auto r = expect_refused(st, card, refusal_reason::malformed, s);
        CHECK(r.detail->code == "card.checksum_mismatch");
    }
    {
        auto bytes_ = cardio::encode_card_record(crafted_issue(st, mac_key.view())).value();
        bytes_[0] = 0x00;  // a write interrupted: the commit byte still open
        model_card card(image_with(bytes_));
        auto r = expect_refused(st, card, refusal_reason::torn, s);
        CHECK(r.card_cleared);
        CHECK(std::holds_alternative<cardio::blank_card>(read_record(card)));
    }
    {
        model_card card(zero_card_image());
        expect_refused(st, card, refusal_reason::not_a_ballot_card, s);
    }
    {
        model_card inner(blank_card_image());
        cardio::fault_injecting_transport card(inner);
        card.fail_call(1, make_error("card.timeout", "no answer"));
        expect_refused(st, card, refusal_reason::unreadable, s);
    }
    {
        // Removed while reading.
        model_card inner(blank_card_image());
        cardio::fault_injecting_transport card(inner);
        card.remove_card_before(2);
        expect_refused(st, card, refusal_reason::removed, s);
    }
    {
        // Removed while the activation is written (select, 2 reads, select, open byte, ...):
        // the issue is cancelled at once, and the torn card is cleared on the next insertion.
        model_card inner(blank_card_image());
        cardio::fault_injecting_transport card(inner);
        card.remove_card_before(6);
        auto r = st.day->handle_card(card);
        CHECK(r.outcome == card_outcome::refused);
        CHECK(r.reason == refusal_reason::removed);
        ++s.issued;
        ++s.cancelled;
        auto again = expect_refused(st, inner, refusal_reason::torn, s);
        CHECK(again.card_cleared);
    }
    auto c = count_ledger(st.ledger_path());
    CHECK(c.cancel == s.cancelled);
    auto reasons = bodies_of(st.ledger_path(), ledger::event_type::cancel);
    CHECK(reasons.back().at("reason").as_string() == "issue_write_failed");

    // The closing time: no more issuing, but the cards issued before are still cast.
    st.clock.set(st.closes_at() - std::chrono::minutes(5));
    CHECK(st.day->close().err().code == "appliance.too_early");
    st.clock.set(st.closes_at() + std::chrono::seconds(1));
    REQUIRE(st.day->tick().ok());
    CHECK(st.day->state() == poll_state::closing);
    {
        model_card card(blank_card_image());
        expect_refused(st, card, refusal_reason::polls_closed, s);
        CHECK(std::holds_alternative<cardio::blank_card>(read_record(card)));
    }
    for (auto& card : late)
        cast(st, card, s);
    auto status = st.day->status();
    CHECK(status.counts.issued == s.issued);
    CHECK(status.counts.cast == s.cast);
    CHECK(status.counts.cancelled == s.cancelled);
    CHECK(status.counts.rejected == s.rejected);
    CHECK(status.counts.outstanding() == 0);

    REQUIRE(st.day->close().ok());
    CHECK(st.day->state() == poll_state::closed);
    {
        model_card card(blank_card_image());
        expect_refused(st, card, refusal_reason::poll_ended, s);
    }
    CHECK(st.day->close().err().code == "appliance.closed");

    // The ledger: complete, its counts are what the test saw, the box holds the votes.
    auto report = ledger::verify(st.ledger_path());
    INFO(report.summary());
    CHECK(report.complete());
    c = count_ledger(st.ledger_path());
    CHECK(c.issue == s.issued);
    CHECK(c.cast == s.cast);
    CHECK(c.cancel == s.cancelled);
    CHECK(c.rejected == s.rejected);
    CHECK(c.notes == s.notes);
    CHECK(c.opening == 1);
    CHECK(c.closing == 1);
    CHECK(s.cast == 300);
    auto book = ledger::ledger::open_read_only(st.ledger_path());
    REQUIRE(book.ok());
    auto box = book->ballots();
    REQUIRE(box.ok());
    REQUIRE(box->size() == s.cast);
    std::map<std::pair<int, int>, int> tally;
    for (const auto& b : *box) {
        auto record = cardio::parse_card_record(b.content.record);
        REQUIRE(record.ok());
        const auto& voted = std::get<cardio::voted_card>(*record);
        CHECK(bytes(voted.signature.begin(), voted.signature.end()) == b.content.booth_signature);
        CHECK(bytes(voted.issued.issue.token.begin(), voted.issued.issue.token.end()) ==
              b.content.token);
        CHECK(cardio::verify_issue_mac(mac_key.view(), voted.issued).ok());
        for (std::size_t i = 0; i < voted.choices.size(); ++i)
            ++tally[{voted.issued.issue.style[i].race, choice_code(voted.choices[i])}];
    }
    CHECK(tally == s.tally);

    // The closing entry reveals the MAC key that genesis committed to; issue events carry
    // no token.
    auto closing = bodies_of(st.ledger_path(), ledger::event_type::closing);
    REQUIRE(closing.size() == 1);
    CHECK(closing[0].at("mac_key").as_string() == to_hex(mac_key.view()));
    CHECK(book->genesis().extra.at("mac_key_commitment").as_string() ==
          mac_key_commitment(mac_key.view()));
    for (const auto& body : bodies_of(st.ledger_path(), ledger::event_type::issue))
        CHECK(body.size() == 1);
}
