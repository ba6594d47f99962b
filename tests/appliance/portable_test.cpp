// The portable ballot box (docs/portable-box.md), in process: a station and its portable box
// set up from the station's kit, 20 home voters and a cancelled card in the portable box,
// cards cast across the two boxes, the import, the close and the result protocol; then the
// refusals: a tampered ledger, one from another station, one never closed, a second import,
// a box never registered, and closing before the import.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>

#include "appliance/portable_ledger.h"
#include "appliance/state_files.h"
#include "audit/audit.h"
#include "ledger/ledger.h"
#include "protocol/reconciliation.h"
#include "protocol/tally.h"
#include "tests/appliance/appliance_fixture.h"

using namespace ballotbox;
using namespace ballotbox::appliance;
using namespace ballotbox::appliance::testing;

namespace {

// The portable box: a second poll_day with the station's package, clock and random source.
struct portable_box {
    test_support::temp_dir dir{"ballotbox-portable"};
    std::optional<poll_day> day;

    explicit portable_box(station& st) {
        auto config = st.config();
        config.state_dir = dir.path() / "state";
        auto d = poll_day::start(config);
        REQUIRE(d.ok());
        day.emplace(std::move(*d));
    }
    std::filesystem::path ledger_path() const { return dir.path() / "state" / "ledger.sqlite"; }
};

// Sets up the portable box from the station's kit and registers it at the station.
std::string set_up_portable(station& st, portable_box& box) {
    auto kit_text = st.day->make_portable_kit();
    REQUIRE(kit_text.ok());
    auto kit = parse_portable_kit(*kit_text);
    REQUIRE(kit.ok());
    auto summary = box.day->setup(st.package.file_text, &*kit);
    INFO((summary.ok() ? "" : summary.err().message));
    REQUIRE(summary.ok());
    CHECK(box.day->status().portable_role);
    auto registered = st.day->register_portable(summary->appliance_key_pem);
    INFO((registered.ok() ? "" : registered.err().message));
    REQUIRE(registered.ok());
    return summary->appliance_key_pem;
}

// The station set up, the portable box set up from its kit and registered, both opened.
void set_up_and_open_both(station& st, portable_box& box) {
    REQUIRE(st.day->setup(st.package.file_text).ok());
    set_up_portable(st, box);
    st.clock.set(st.opens_at() + std::chrono::minutes(1));
    REQUIRE(st.day->open(test_secret).ok());
    REQUIRE(box.day->open(test_secret).ok());
}

model_card issue_card(poll_day& day) {
    model_card card(blank_card_image());
    auto r = day.handle_card(card);
    INFO(r.headline.en);
    REQUIRE(r.outcome == card_outcome::issued);
    return card;
}

void vote_and_cast(station& st, poll_day& day, model_card& card, std::size_t n) {
    auto issued = std::get<cardio::issued_card>(read_record(card));
    std::vector<cardio::ballot_choice> choices;
    for (const auto& slot : issued.issue.style)
        choices.push_back(
            cardio::ballot_choice::for_option(static_cast<std::uint8_t>(n % slot.option_count)));
    vote_at_booth(card, st.package.booths[n % 2], choices);
    auto r = day.handle_card(card);
    INFO(r.headline.en, " ", r.detail ? r.detail->message : "");
    REQUIRE(r.outcome == card_outcome::accepted);
}

// Closes the portable box (before 20:00: the members close it when they return). The
// appliance keeps running: the close itself makes the ledger file whole for the copy.
void close_portable(portable_box& box) {
    auto closed = box.day->close();
    INFO((closed.ok() ? "" : closed.err().message));
    REQUIRE(closed.ok());
}

}  // namespace

TEST_CASE("portable box: 20 home voters, a cancel, cards across boxes, import, protocol") {
    station st;
    portable_box box(st);
    set_up_and_open_both(st, box);

    // Five voters at the station.
    for (std::size_t n = 0; n < 5; ++n) {
        auto card = issue_card(*st.day);
        vote_and_cast(st, *st.day, card, n);
    }
    // 20 home voters through the portable box, and one card cancelled there.
    for (std::size_t n = 0; n < 20; ++n) {
        auto card = issue_card(*box.day);
        vote_and_cast(st, *box.day, card, n);
    }
    {
        auto card = issue_card(*box.day);
        CHECK(box.day->cancel_card(card).outcome == card_outcome::cancelled);
    }
    // A card issued by the portable box is cast at the station, and the other way round:
    // each counts once, where it was cast.
    {
        auto card = issue_card(*box.day);
        vote_and_cast(st, *st.day, card, 1);
        auto other = issue_card(*st.day);
        vote_and_cast(st, *box.day, other, 2);
    }
    CHECK(st.day->close().err().code == "appliance.too_early");
    st.clock.set(st.closes_at() - std::chrono::minutes(30));
    close_portable(box);

    auto imported = st.day->import_portable(box.ledger_path());
    INFO((imported.ok() ? "" : imported.err().code + ": " + imported.err().message));
    REQUIRE(imported.ok());
    CHECK(imported->ballots == 21);
    CHECK(imported->already_in_box == 0);
    CHECK(imported->issued == 22);
    CHECK(imported->cancelled == 1);
    CHECK(st.day->import_portable(box.ledger_path()).err().code ==
          "appliance.portable_already_imported");
    auto status = st.day->status();
    REQUIRE(status.portable_boxes.size() == 1);
    CHECK(status.portable_boxes[0].imported);
    CHECK(status.counts.cast == 27);
    CHECK(status.counts.issued == 28);
    CHECK(status.counts.cancelled == 1);
    CHECK(status.counts.outstanding() == 0);

    st.clock.set(st.closes_at() + std::chrono::minutes(1));
    REQUIRE(st.day->close().ok());
    st.day.reset();

    auto report = protocol::make_report_from_file(st.ledger_path(), st.package.parsed,
                                                  {protocol::report_kind::result, std::nullopt});
    INFO((report.ok() ? "" : report.err().message));
    REQUIRE(report.ok());
    const auto& d = report->document;
    CHECK(d.portable_box.registered);
    CHECK(d.portable_box.imported);
    CHECK_FALSE(d.portable_box.not_used);
    // Ballot 0 (the party list) is on every style: every card counts there.
    const auto& party = d.ballots.at(0);
    CHECK(party.issued_station == 6);
    CHECK(party.issued_portable == 22);
    CHECK(party.cancelled == 1);
    CHECK(party.cast_station == 6);
    CHECK(party.cast_portable == 21);
    CHECK(party.not_returned == 0);
    for (const auto& c : d.checks)
        CHECK_MESSAGE(c.holds, c.id);

    // The auditor's one check of the station's ledger, portable ballots included.
    audit::audit_inputs in;
    in.ledger = st.ledger_path();
    in.package = st.dir.path() / "package.json";
    in.commission_key = st.dir.path() / "commission.pem";
    std::ofstream(in.package) << st.package.file_text;
    std::ofstream(in.commission_key) << st.package.commission.public_key().to_pem();
    in.portable_ledgers = {box.ledger_path()};
    auto audited = audit::run(in);
    INFO(audit::to_text(audited));
    CHECK(audited.result == audit::outcome::verified);
    bool portable_checked = false;
    for (const auto& c : audited.checks)
        portable_checked =
            portable_checked || (c.id == "portable" && c.state == audit::check_state::passed);
    CHECK(portable_checked);

    // A portable ledger that is not the one imported is caught: the station's own.
    in.portable_ledgers = {st.ledger_path()};
    CHECK(audit::run(in).result == audit::outcome::tampered);
}

TEST_CASE("portable box: refused imports change nothing and the close waits for the import") {
    station st;
    portable_box box(st);
    set_up_and_open_both(st, box);
    for (std::size_t n = 0; n < 3; ++n) {
        auto card = issue_card(*box.day);
        vote_and_cast(st, *box.day, card, n);
    }
    const auto entries_before = [&] { return st.day->status().ledger_entries; };

    // Not closed yet: a copy of the open ledger is refused.
    auto open_copy = box.dir.path() / "open-copy.sqlite";
    {
        auto config = st.config();
        config.state_dir = box.dir.path() / "state";
        box.day.reset();  // stopped, not closed: the file is whole
        std::filesystem::copy_file(box.ledger_path(), open_copy);
        auto restarted = poll_day::start(config);
        REQUIRE(restarted.ok());
        box.day.emplace(std::move(*restarted));
    }
    auto e0 = entries_before();
    CHECK(st.day->import_portable(open_copy).err().code == "portable.not_closed");
    CHECK(st.day->status().ledger_entries == e0 + 1);  // the refusal, recorded
    CHECK(st.day->status().counts.cast == 0);

    close_portable(box);
    // Tampered: one byte of a ballot record changed.
    auto tampered = box.dir.path() / "tampered.sqlite";
    std::filesystem::copy_file(box.ledger_path(), tampered);
    {
        auto db = ledger::sqlite::database::open(tampered.string(), SQLITE_OPEN_READWRITE, "");
        REQUIRE(db.ok());
        REQUIRE(db->exec("UPDATE ballots SET booth_signature = zeroblob(64) WHERE box_key = "
                         "(SELECT min(box_key) FROM ballots)")
                    .ok());
    }
    CHECK(st.day->import_portable(tampered).err().code == "portable.ledger_invalid");

    // Another station's portable box (its own package, kit and key).
    {
        station other("astana-0002", 77);
        REQUIRE(other.day->setup(other.package.file_text).ok());
        portable_box foreign(other);
        set_up_portable(other, foreign);
        other.clock.set(other.opens_at() + std::chrono::minutes(1));
        REQUIRE(foreign.day->open(test_secret).ok());
        close_portable(foreign);
        auto copy = box.dir.path() / "foreign.sqlite";
        std::filesystem::copy_file(foreign.ledger_path(), copy);
        CHECK(st.day->import_portable(copy).err().code == "portable.other_station");
    }
    // The station's own ledger is not a portable one.
    CHECK(st.day->status().counts.cast == 0);
    CHECK(st.day->close().err().code == "appliance.too_early");
    st.clock.set(st.closes_at() + std::chrono::minutes(1));
    CHECK(st.day->close().err().code == "appliance.portable_not_imported");

    REQUIRE(st.day->import_portable(box.ledger_path()).ok());
    CHECK(st.day->status().counts.cast == 3);
    CHECK(st.day->import_portable(box.ledger_path()).err().code ==
          "appliance.portable_already_imported");
    CHECK(st.day->status().counts.cast == 3);
    CHECK(st.day->record_portable_not_used().err().code == "appliance.no_portable_box");
    REQUIRE(st.day->close().ok());
}

TEST_CASE("portable box: not used, recorded by the chair, is on the protocol") {
    station st;
    REQUIRE(st.day->setup(st.package.file_text).ok());
    portable_box box(st);
    set_up_portable(st, box);
    CHECK(st.day->register_portable("not a key").err().code == "appliance.bad_portable_key");
    CHECK(box.day->make_portable_kit().err().code == "appliance.portable_role");
    st.clock.set(st.opens_at() + std::chrono::minutes(1));
    REQUIRE(st.day->open(test_secret).ok());
    st.clock.set(st.closes_at() + std::chrono::minutes(1));
    CHECK(st.day->close().err().code == "appliance.portable_not_imported");
    REQUIRE(st.day->record_portable_not_used().ok());
    CHECK(st.day->close(poll_day::max_voters_added + 1).err().code == "appliance.bad_voters_added");
    REQUIRE(st.day->close(3).ok());  // three voters added to the list on the day
    st.day.reset();
    auto report = protocol::make_report_from_file(st.ledger_path(), st.package.parsed,
                                                  {protocol::report_kind::result, std::nullopt});
    REQUIRE(report.ok());
    CHECK(report->document.portable_box.registered);
    CHECK_FALSE(report->document.portable_box.imported);
    CHECK(report->document.portable_box.not_used);
    CHECK(report->document.voters_added == 3);

    // A restart replays the portable events.
    st.start();
    CHECK(st.day->status().portable_boxes.size() == 1);
    CHECK(st.day->status().portable_boxes[0].not_used);
}
