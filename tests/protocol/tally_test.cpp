#include "protocol/tally.h"

#include <doctest/doctest.h>

#include "protocol/reconciliation.h"
#include "tests/protocol/scripted_days.h"
#include "tests/support/temp_dir.h"

using namespace ballotbox;
using namespace ballotbox::protocol;
using test_support::protocol_day;

namespace {

std::vector<std::int64_t> votes(const ballot_figures& b) {
    std::vector<std::int64_t> v;
    for (const auto& o : b.options)
        v.push_back(o.votes);
    return v;
}

bool check_holds(const protocol_document& d, const std::string& id) {
    for (const auto& c : d.checks)
        if (c.id == id)
            return c.holds;
    FAIL("no check " << id);
    return false;
}

}  // namespace

TEST_CASE("a scripted day gives the known lines for both ballots, reconciled") {
    test_support::temp_dir dir;
    {
        protocol_day day(dir / "ledger.sqlite");
        test_support::run_reference_day(day);
    }
    auto rep = make_report_from_file(dir / "ledger.sqlite", test_support::training_package(), {});
    REQUIRE_MESSAGE(rep.ok(), (rep.ok() ? "" : rep.err().message));
    const auto& d = rep->document;
    CHECK(d.kind == report_kind::result);
    CHECK(d.training);
    CHECK(d.election_id == "kz-2023-majilis");
    CHECK(d.station_id == "astana-0001");
    CHECK(d.event_time == "2023-03-19T20:00:00+06:00");
    CHECK(d.voters_on_list == 2400);
    CHECK(d.voters_added == 3);
    CHECK(d.ledger.box_size == 9);
    REQUIRE(d.ballots.size() == 2);

    const auto& party = d.ballots[0];
    CHECK(party.id == "party-list");
    CHECK(party.issued_station == 12);
    CHECK(party.issued_portable == 1);
    CHECK(party.cancelled == 1);
    CHECK(party.not_returned == 3);
    CHECK(party.cast_station == 8);
    CHECK(party.cast_portable == 1);
    CHECK(party.took_part == 9);
    CHECK(votes(party) == std::vector<std::int64_t>{3, 2, 1, 0, 0, 0, 1});
    CHECK(party.options[0].id == "amanat");
    CHECK(party.against_all == 1);
    CHECK(party.blank == 1);
    CHECK(party.turnout_basis_points == 37);

    const auto& district = d.ballots[1];
    CHECK(district.id == "district-01");
    CHECK(district.issued_station == 9);
    CHECK(district.issued_portable == 1);
    CHECK(district.cancelled == 1);
    CHECK(district.not_returned == 2);
    CHECK(district.cast_station == 6);
    CHECK(district.cast_portable == 1);
    CHECK(district.took_part == 7);
    std::vector<std::int64_t> dv(16, 0);
    dv[0] = 2;
    dv[1] = 2;
    dv[15] = 1;
    CHECK(votes(district) == dv);
    CHECK(district.against_all == 1);
    CHECK(district.blank == 1);
    CHECK(district.turnout_basis_points == 29);

    for (const auto& c : d.checks)
        CHECK_MESSAGE(c.holds, c.id);
    CHECK(d.checks.size() == 5);
    CHECK(d.portable_box.registered);
    CHECK_FALSE(d.portable_box.not_used);
    CHECK(explain_failures(d).empty());
}

TEST_CASE("the zero report and a turnout report come from their checkpoints") {
    test_support::temp_dir dir;
    protocol_day day(dir / "ledger.sqlite");
    day.open();
    auto zero = make_report(day.book(), day.package(), {report_kind::zero, std::nullopt});
    REQUIRE(zero.ok());
    CHECK(zero->document.kind == report_kind::zero);
    CHECK(zero->document.event_time == "2023-03-19T07:00:00+06:00");
    CHECK(zero->document.ledger.tree_size == 2);
    CHECK(zero->document.ledger.box_size == 0);
    for (const auto& b : zero->document.ballots) {
        CHECK(b.issued_station == 0);
        CHECK(b.cast_station == 0);
        for (const auto& o : b.options)
            CHECK(o.votes == 0);
    }
    CHECK(check_holds(zero->document, "votes_reconcile"));

    day.cast(day.issue(),
             {cardio::ballot_choice::for_option(2), cardio::ballot_choice::for_option(3)});
    auto extra = day.issue();
    day.turnout(10);
    auto t = make_report(day.book(), day.package(), {report_kind::turnout, std::nullopt});
    REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.err().message));
    CHECK(t->document.event_time == "2023-03-19T10:00:00+06:00");
    CHECK(t->document.ballots[0].issued_station == 2);
    CHECK(t->document.ballots[0].cast_station == 1);
    CHECK(t->document.ballots[0].not_returned == 1);
    CHECK(t->document.ballots[0].options[2].votes == 0);  // no votes before the close
    CHECK(t->document.checks[0].id == "issued_reconciles");
    CHECK(t->document.checks[1].id == "took_part_within_list");

    // Once a ballot is cast, neither can be made again from the box.
    CHECK(make_report(day.book(), day.package(), {report_kind::zero, std::nullopt}).err().code ==
          "protocol.zero_report_after_cast");
    day.cast(extra, {cardio::ballot_choice::left_blank(), cardio::ballot_choice::left_blank()});
    CHECK(make_report(day.book(), day.package(), {report_kind::turnout, std::nullopt}).err().code ==
          "protocol.turnout_superseded");
    CHECK(make_report(day.book(), day.package(), {}).err().code == "protocol.no_checkpoint");
}

TEST_CASE(
    "a cancel without a style on a two-style day is attributed to the default style and said so") {
    test_support::temp_dir dir;
    protocol_day day(dir / "ledger.sqlite");
    day.open();
    day.cancel(day.issue("party-list-only"), false);
    day.close();
    auto rep = make_report(day.book(), day.package(), {});
    REQUIRE(rep.ok());
    CHECK_FALSE(check_holds(rep->document, "cancelled_styles_known"));
    // Guessed "both": the district ballot shows a cancel it never issued, and the check fails.
    CHECK(rep->document.ballots[1].cancelled == 1);
    CHECK_FALSE(check_holds(rep->document, "issued_reconciles"));
    auto why = explain_failures(rep->document);
    REQUIRE(why.size() == 1);
    CHECK(why[0].ballot_id == "district-01");
    CHECK(why[0].what == "cast 0 + cancelled 1 + not returned 0 = 1, but issued = 0");
}

TEST_CASE("a ledger of another package is refused") {
    test_support::temp_dir dir;
    protocol_day day(dir / "ledger.sqlite");
    day.open();
    day.close();
    auto other = test_support::training_package();
    other.package_hash[0] ^= 1;
    CHECK(make_report(day.book(), other, {}).err().code == "protocol.package_mismatch");
}
