#include "cardio/card_write_plan.h"

#include <doctest/doctest.h>

#include "tests/cardio/card_fixtures.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio::testing;

namespace {

std::size_t total_bytes(const std::vector<write_chunk>& plan) {
    std::size_t n = 0;
    for (const auto& c : plan)
        n += c.data.size();
    return n;
}

// The card image after the first `written` bytes of the plan reached the card, in order:
// a tear at any byte of any chunk.
bytes apply_prefix(bytes image, const std::vector<write_chunk>& plan, std::size_t written) {
    for (const auto& chunk : plan) {
        for (std::size_t i = 0; i < chunk.data.size(); ++i) {
            if (written == 0)
                return image;
            image.at(chunk.offset + i) = chunk.data[i];
            --written;
        }
    }
    return image;
}

// Writes `to` over a card holding `from` (the rest of the EF zero, as a formatted card),
// tearing after every byte; each read must give the old record, the new one, or
// card.torn_write. Returns how many tears read as torn.
std::size_t check_every_tear(const bytes& from_image, const card_record& to,
                             std::size_t chunk_size) {
    auto old_parsed = parse_card_image(from_image);
    auto new_bytes = encoded(to);
    auto plan = plan_write(from_image, new_bytes, chunk_size);
    REQUIRE(plan.ok());
    std::size_t torn = 0;
    auto total = total_bytes(*plan);
    for (std::size_t k = 0; k <= total; ++k) {
        auto image = apply_prefix(from_image, *plan, k);
        auto got = parse_card_image(image);
        CAPTURE(k);
        if (got.ok()) {
            bool is_old = old_parsed.ok() && *got == *old_parsed;
            bool is_new = *got == to;
            CHECK((is_old || is_new));
            if (k == total)
                CHECK(is_new);
        } else if (old_parsed.ok()) {
            CHECK(got.err().code == "card.torn_write");
            ++torn;
        } else {
            // a card that held no record (unformatted) still reads as such, or as torn
            bool same_as_before = got.err() == old_parsed.err();
            CHECK((same_as_before || got.err().code == "card.torn_write"));
            if (!same_as_before)
                ++torn;
        }
    }
    // Completed: the new record, and nothing of the old one left after it.
    auto done = apply_prefix(from_image, *plan, total);
    CHECK(bytes(done.begin(), done.begin() + new_bytes.size()) == new_bytes);
    for (std::size_t i = new_bytes.size(); i < done.size(); ++i)
        CHECK(done[i] == 0);
    return torn;
}

bytes card_holding(const card_record& record) {
    auto image = encoded(record);
    image.resize(card_record_file_size, 0);
    return image;
}

}  // namespace

TEST_CASE("a write torn at any byte reads as the old record, the new one or torn") {
    const card_record blank = blank_card{}, issued = fixture_issued(), voted = fixture_voted(),
                      party_list_only = fixture_voted_blank_ballot();
    for (std::size_t chunk : {1, 16, 128, 255}) {
        CAPTURE(chunk);
        CHECK(check_every_tear(card_holding(voted), blank, chunk) > 0);
        CHECK(check_every_tear(card_holding(blank), issued, chunk) > 0);
        CHECK(check_every_tear(card_holding(issued), voted, chunk) > 0);
        CHECK(check_every_tear(card_holding(voted), issued, chunk) > 0);
        CHECK(check_every_tear(card_holding(party_list_only), voted, chunk) > 0);
        CHECK(check_every_tear(card_holding(voted), voted, chunk) > 0);
        // formatting a new card (all zeros, or erased to 0xFF) as blank
        CHECK(check_every_tear(bytes(card_record_file_size, 0x00), blank, chunk) > 0);
        CHECK(check_every_tear(bytes(card_record_file_size, 0xff), blank, chunk) > 0);
    }
}

TEST_CASE("a card interrupted mid-write is cleared by the next write") {
    auto from = card_holding(fixture_voted());
    auto plan = plan_write(from, encoded(blank_card{}), 128).value();
    auto torn = apply_prefix(from, plan, 20);
    REQUIRE(parse_card_image(torn).err().code == "card.torn_write");
    // every tear of the re-clear reads as torn (as before), and the end is a blank card
    check_every_tear(torn, blank_card{}, 128);
    auto plan2 = plan_write(torn, encoded(blank_card{}), 128).value();
    auto done = apply_prefix(torn, plan2, total_bytes(plan2));
    CHECK(parse_card_image(done).value() == card_record{blank_card{}});
}

TEST_CASE("the write plan opens first, commits last and wipes the old record's tail") {
    auto from = card_holding(fixture_voted());
    auto blank = encoded(blank_card{});
    auto plan = plan_write(from, blank, 16).value();
    REQUIRE(plan.size() >= 3);
    CHECK(plan.front() == write_chunk{0, {0x00}});
    CHECK(plan.back() == write_chunk{0, {'B'}});
    for (const auto& chunk : plan)
        CHECK(chunk.data.size() <= 16);
    // bytes 1..39 of the blank record, then zeros up to the end of the old voted record
    CHECK(total_bytes(plan) ==
          1 + (blank.size() - 1) + (encoded(fixture_voted()).size() - blank.size()) + 1);
    // a shorter old image (only the old record as read) plans the same wipe
    CHECK(plan_write(encoded(fixture_voted()), blank, 16).value() == plan);
}

TEST_CASE("plan_write refuses bad chunk sizes and what is not a record") {
    auto blank = encoded(blank_card{});
    CHECK(plan_write({}, blank, 0).err().code == "card.bad_chunk_size");
    CHECK(plan_write({}, blank, 256).err().code == "card.bad_chunk_size");
    CHECK(plan_write({}, bytes(3, 'B'), 128).err().code == "card.not_a_record");
    CHECK(plan_write({}, bytes(40, 0), 128).err().code == "card.not_a_record");
    CHECK(plan_write(bytes(card_record_file_size + 1), blank, 128).err().code ==
          "card.record_too_large");
    CHECK(plan_write({}, blank, 1).ok());
}
