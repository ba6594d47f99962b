// The three card writes of a poll day through the real pcscd and vpcd, each torn at every
// byte offset of its write plan and at every command boundary with the answer lost
// (tests/pcsc/torn_write_run.h says what each case checks): the table's issue (blank to
// issued, appliance::write_card), the booth's vote (issued to voted, cardsim::mark_ballot,
// the booth's own code path) and the table's clear after a cast (voted to blank).
#include <doctest/doctest.h>

#include "appliance/card_io.h"
#include "cardio/card_codec.h"
#include "cardio/card_write_plan.h"
#include "tests/cardio/card_fixtures.h"
#include "tests/pcsc/cardio_test_events.h"
#include "tests/pcsc/torn_write_run.h"
#include "tools/cardsim/booth.h"

using namespace ballotbox;
using namespace ballotbox::cardio_pcsc_test;

namespace {

constexpr std::size_t chunk_size = 128;  // as appliance/card_io.cpp and the booth write

// Where each UPDATE BINARY of the plan ends, counted in data bytes from the plan's start.
std::vector<std::size_t> command_ends(byte_view old_bytes, byte_view record) {
    std::vector<std::size_t> ends;
    std::size_t total = 0;
    const auto plan = cardio::plan_write(old_bytes, record, chunk_size).value();
    for (const auto& c : plan)
        ends.push_back(total += c.data.size());
    return ends;
}

// The first max_card_record_size bytes of a card holding `record` (the rest zeros): what the
// table reads and plans its write over.
bytes card_image_of(const bytes& record) {
    bytes image(cardio::max_card_record_size, 0);
    std::copy(record.begin(), record.end(), image.begin());
    return image;
}

status table_write(const cardio::card_record& record, cardio::card_transport& card,
                   const appliance::card_contents& seen) {
    return appliance::write_card(card, seen.image, record);
}

}  // namespace

TEST_CASE("a blank card issued through pcscd and torn at every byte offset is never misread") {
    const auto issued = cardio::testing::fixture_issued();
    torn_write_scenario s{
        .name = "issue",
        .before = cardio::testing::encoded(cardio::blank_card{}),
        .after = cardio::testing::encoded(issued),
        .command_ends = {},
        .write = [&](auto& card, const auto& seen) { return table_write(issued, card, seen); }};
    s.command_ends = command_ends(card_image_of(s.before), s.after);
    CAPTURE(s.command_ends.size());
    REQUIRE(s.command_ends.back() == s.after.size() + 1);  // every record byte, and the commit

    auto pcscd = start_pcscd();
    CHECK(run_every_tear(s) == s.command_ends.size() + s.command_ends.back() + 1 + 2);
}

TEST_CASE(
    "a vote written by the booth through pcscd and torn at every byte offset is never misread") {
    const auto voted = cardio::testing::fixture_voted();
    const auto booth_key = cardio::testing::fixture_booth_key();
    cardsim::booth_request request{.election_id = cardio::testing::fixture_election_id(),
                                   .station_id = "119",
                                   .choices = voted.choices};
    torn_write_scenario s{.name = "vote",
                          .before = cardio::testing::encoded(cardio::testing::fixture_issued()),
                          .after = cardio::testing::encoded(voted),
                          .command_ends = {},
                          .write = [&](auto& card, const auto&) -> status {
                              auto marked = cardsim::mark_ballot(card, booth_key, request);
                              if (!marked.ok())
                                  return marked.err();
                              return ok_status();
                          }};
    // The booth plans over the record it read, not over the whole file.
    s.command_ends = command_ends(s.before, s.after);
    CAPTURE(s.command_ends.size());
    REQUIRE(s.command_ends.back() == s.after.size() + 1);  // the vote is longer: no stale bytes

    auto pcscd = start_pcscd();
    CHECK(run_every_tear(s) == s.command_ends.size() + s.command_ends.back() + 1 + 2);
}

TEST_CASE("a voted card cleared through pcscd and torn at every byte offset is never misread") {
    torn_write_scenario s{.name = "clear",
                          .before = cardio::testing::encoded(cardio::testing::fixture_voted()),
                          .after = cardio::testing::encoded(cardio::blank_card{}),
                          .command_ends = {},
                          .write = [&](auto& card, const auto& seen) {
                              return table_write(cardio::blank_card{}, card, seen);
                          }};
    s.command_ends = command_ends(card_image_of(s.before), s.after);
    CAPTURE(s.command_ends.size());
    // Open, record bytes 1..39, two chunks of stale zeros, commit.
    REQUIRE(s.command_ends.size() == 5);
    REQUIRE(s.command_ends.back() == s.before.size() + 1);

    auto pcscd = start_pcscd();
    CHECK(run_every_tear(s) == s.command_ends.size() + s.command_ends.back() + 1 + 2);
}
