// How a verify in ranges cuts its work into parts (verify_team.h: part_cuts, part_starts;
// box_scan.h: box_part_bounds): ascending cuts, parts that shrink from four times the last
// when threads take several each, equal ones otherwise, and every part of the chain non-empty.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "ledger/box_scan.h"
#include "ledger/verify_team.h"

using namespace ballotbox;
using namespace ballotbox::ledger;

namespace {

constexpr std::uint64_t whole = std::uint64_t{1} << 32;

// The parts' sizes in 2^-32: the differences between 0, the cuts and the whole.
std::vector<std::uint64_t> sizes_of(const std::vector<std::uint32_t>& cuts) {
    std::vector<std::uint64_t> sizes;
    std::uint64_t last = 0;
    for (auto c : cuts) {
        sizes.push_back(c - last);
        last = c;
    }
    sizes.push_back(whole - last);
    return sizes;
}

}  // namespace

TEST_CASE("part_cuts: several parts a thread shrink linearly, the first four times the last") {
    for (auto [parts, threads] : {std::pair{8u, 2u}, {16u, 4u}, {3u, 2u}, {40u, 8u}}) {
        CAPTURE(parts);
        auto cuts = ledger::detail::part_cuts(parts, threads);
        REQUIRE(cuts.size() == parts - 1);
        auto sizes = sizes_of(cuts);
        for (std::size_t i = 1; i < sizes.size(); ++i) {
            CHECK(sizes[i] < sizes[i - 1]);
            // Linear: each step down the same, to rounding (each size is off by at most 1 at
            // either end).
            const auto step = sizes[0] - sizes[1];
            CHECK(sizes[i - 1] - sizes[i] <= step + 2);
            CHECK(sizes[i - 1] - sizes[i] + 2 >= step);
        }
        const double ratio = static_cast<double>(sizes.front()) / static_cast<double>(sizes.back());
        CHECK(ratio > 3.99);
        CHECK(ratio < 4.01);
    }
}

TEST_CASE("part_cuts: one part a thread (or fewer) are equal, one part has no cut") {
    for (auto [parts, threads] : {std::pair{2u, 2u}, {7u, 7u}, {3u, 8u}}) {
        CAPTURE(parts);
        auto sizes = sizes_of(ledger::detail::part_cuts(parts, threads));
        REQUIRE(sizes.size() == parts);
        for (auto s : sizes) {
            CHECK(s + 1 >= whole / parts);
            CHECK(s <= whole / parts + 1);
        }
    }
    CHECK(ledger::detail::part_cuts(1, 2).empty());
    CHECK(ledger::detail::part_cuts(0, 2).empty());
}

TEST_CASE("part_starts: from 0 to the entries, every part holding at least one") {
    for (unsigned parts : {2u, 3u, 8u, 17u}) {
        for (unsigned threads : {1u, 2u, parts}) {
            const auto cuts = ledger::detail::part_cuts(parts, threads);
            for (std::uint64_t entries :
                 {std::uint64_t{parts}, std::uint64_t{parts} + 1, std::uint64_t{2} * parts + 1,
                  std::uint64_t{100}, std::uint64_t{6131}, std::uint64_t{3} << 40}) {
                if (entries < parts)
                    continue;
                CAPTURE(parts);
                CAPTURE(threads);
                CAPTURE(entries);
                auto starts = ledger::detail::part_starts(entries, cuts);
                REQUIRE(starts.size() == parts + 1);
                CHECK(starts.front() == 0);
                CHECK(starts.back() == entries);
                for (std::size_t i = 1; i < starts.size(); ++i)
                    CHECK(starts[i] > starts[i - 1]);
            }
        }
    }
}

TEST_CASE("part_starts: a large chain is cut at the fractions, exactly") {
    const auto cuts = ledger::detail::part_cuts(8, 2);
    // 2^40 entries: each start is the cut times 2^8, with no rounding.
    const std::uint64_t entries = std::uint64_t{1} << 40;
    auto starts = ledger::detail::part_starts(entries, cuts);
    for (std::size_t i = 0; i < cuts.size(); ++i)
        CHECK(starts[i + 1] == std::uint64_t{cuts[i]} << 8);
    // With fewer entries than parts, some parts are empty but the starts still ascend.
    auto few = ledger::detail::part_starts(3, cuts);
    REQUIRE(few.size() == 9);
    CHECK(few.front() == 0);
    CHECK(few.back() == 3);
    for (std::size_t i = 1; i < few.size(); ++i)
        CHECK(few[i] >= few[i - 1]);
}

TEST_CASE("box_part_bounds: each cut as the first four bytes of a 16-byte key") {
    const auto cuts = ledger::detail::part_cuts(8, 2);
    auto bounds = box_part_bounds(cuts);
    REQUIRE(bounds.size() == cuts.size());
    for (std::size_t i = 0; i < cuts.size(); ++i) {
        REQUIRE(bounds[i].size() == 16);
        const std::uint32_t prefix = std::uint32_t{bounds[i][0]} << 24 |
                                     std::uint32_t{bounds[i][1]} << 16 |
                                     std::uint32_t{bounds[i][2]} << 8 | bounds[i][3];
        CHECK(prefix == cuts[i]);
        for (std::size_t b = 4; b < 16; ++b)
            CHECK(bounds[i][b] == 0);
        if (i > 0)
            CHECK(bounds[i - 1] < bounds[i]);
    }
}
