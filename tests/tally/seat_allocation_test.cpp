// Party-list seat allocation and the commission's percentages, on the 2023 figures and on
// small hand-made cases.
#include "tally/seat_allocation.h"

#include <doctest/doctest.h>

#include "tally/percent.h"

using namespace ballotbox;
using namespace ballotbox::tally;

namespace {

const election::seat_rules majilis{69, 500, 2};

std::vector<party_votes> kz_2023() {
    // national-party-list.csv, in ballot order (parties.csv).
    return {{"amanat", 3431510}, {"auyl", 693938},   {"respublica", 547154}, {"qhp", 432920},
            {"baytaq", 146431},  {"aq-jol", 535139}, {"jsdp", 331058}};
}

std::int64_t seats_of(const seat_allocation& a, const std::string& id) {
    for (const auto& p : a.parties)
        if (p.id == id)
            return p.seats;
    FAIL("no party " << id);
    return -1;
}

}  // namespace

TEST_CASE("percentages are two decimals rounded half up, as the 2023 protocol publishes them") {
    CHECK(format_percent(3431510, 6366441) == "53.90");
    CHECK(format_percent(693938, 6366441) == "10.90");
    CHECK(format_percent(547154, 6366441) == "8.59");
    CHECK(format_percent(535139, 6366441) == "8.41");
    CHECK(format_percent(432920, 6366441) == "6.80");
    CHECK(format_percent(331058, 6366441) == "5.20");
    CHECK(format_percent(146431, 6366441) == "2.30");
    CHECK(format_percent(248291, 6366441) == "3.90");
    CHECK(format_percent(6524487, 12035578) == "54.21");
    // Exactly half a hundredth rounds up; just under rounds down.
    CHECK(format_percent(1, 8) == "12.50");
    CHECK(format_percent(1, 20000) == "0.01");
    CHECK(format_percent(1, 20001) == "0.00");
    CHECK(format_percent(0, 0) == "0.00");
    CHECK_FALSE(percent_basis_points(-1, 10).has_value());
}

TEST_CASE("the 2023 national result gives exactly the official seats") {
    auto a = allocate_seats(kz_2023(), 248291, majilis);
    REQUIRE(a.ok());
    CHECK(a->status == allocation_status::complete);
    CHECK(a->valid_votes == 6366441);
    CHECK(seats_of(*a, "amanat") == 40);
    CHECK(seats_of(*a, "auyl") == 8);
    CHECK(seats_of(*a, "respublica") == 6);
    CHECK(seats_of(*a, "aq-jol") == 6);
    CHECK(seats_of(*a, "qhp") == 5);
    CHECK(seats_of(*a, "jsdp") == 4);
    CHECK(seats_of(*a, "baytaq") == 0);
    // The README's figures: integer parts 39+8+6+6+5+3, the two remainders to JSDP and Amanat.
    CHECK(a->parties[0].whole_seats == 39);
    CHECK(a->parties[6].whole_seats == 3);
    CHECK(a->distribution_votes == 3431510 + 693938 + 547154 + 432920 + 535139 + 331058);
}

TEST_CASE("exactly 5.00 % passes the threshold and one vote less does not") {
    // valid = 10000: 500 is exactly 5.00 %.
    auto a = allocate_seats({{"a", 6000}, {"b", 500}, {"c", 3000}}, 500,
                            election::seat_rules{10, 500, 2});
    REQUIRE(a.ok());
    CHECK(a->parties[1].passed_threshold);
    CHECK(a->parties[1].percent_basis_points == 500);
    auto b = allocate_seats({{"a", 6000}, {"b", 499}, {"c", 3001}}, 500,
                            election::seat_rules{10, 500, 2});
    REQUIRE(b.ok());
    CHECK_FALSE(b->parties[1].passed_threshold);
    CHECK(b->parties[1].seats == 0);
    CHECK(b->parties[0].seats + b->parties[2].seats == 10);
}

TEST_CASE("equal remainders at the cut leave the seat unresolved and name the tied parties") {
    // 3 seats, 100 votes each for a, b; 50 for c: quotas 1.2, 1.2, 0.6 -> 1 + 1 + 0 and one
    // seat left... c's remainder 0.6 wins. Make b and c tie instead: a 200, b 100, c 100, 4 seats:
    // 2.0, 1.0, 1.0 -> complete. Use 2 seats over three equal parties: 0.667 each, remainders
    // equal.
    auto a =
        allocate_seats({{"a", 100}, {"b", 100}, {"c", 100}}, 0, election::seat_rules{2, 500, 2});
    REQUIRE(a.ok());
    CHECK(a->status == allocation_status::unresolved_tie);
    CHECK(a->unallocated_seats == 2);
    CHECK(a->tied_parties == std::vector<std::string>{"a", "b", "c"});
    for (const auto& p : a->parties) {
        CHECK(p.seats == 0);
        CHECK(p.tied_for_last_seat);
    }
    // A tie below the cut does not matter: 5 seats, a 300 b 100 c 100 -> 3, 1, 1 exactly.
    auto b =
        allocate_seats({{"a", 300}, {"b", 100}, {"c", 100}}, 0, election::seat_rules{5, 500, 2});
    REQUIRE(b.ok());
    CHECK(b->status == allocation_status::complete);
    // One seat left between b and c only, after a's larger remainder: 4 seats, a 250 b 125 c 125:
    // quotas 2.0, 1.0, 1.0 -> complete; 3 seats, a 150, b 75, c 75 -> 1.5, 0.75, 0.75: whole 1+0+0,
    // 2 left: b and c (0.75 each) above a's 0.5 -> both get one, no tie.
    auto c = allocate_seats({{"a", 150}, {"b", 75}, {"c", 75}}, 0, election::seat_rules{3, 500, 2});
    REQUIRE(c.ok());
    CHECK(c->status == allocation_status::complete);
    CHECK(c->parties[0].seats == 1);
    CHECK(c->parties[1].seats == 1);
    CHECK(c->parties[2].seats == 1);
    // 2 seats, a 150 b 75 c 75: 1.0, 0.5, 0.5 -> one seat between b and c: unresolved.
    auto d = allocate_seats({{"a", 150}, {"b", 75}, {"c", 75}}, 0, election::seat_rules{2, 500, 2});
    REQUIRE(d.ok());
    CHECK(d->status == allocation_status::unresolved_tie);
    CHECK(d->unallocated_seats == 1);
    CHECK(d->parties[0].seats == 1);
    CHECK(d->tied_parties == std::vector<std::string>{"b", "c"});
}

TEST_CASE("when only one party passes, the next one gets at least the runner-up seats") {
    // a 90 %, b 4 %, c 3 %, against all 3 %: only a passes; b is next and gets 2 of 10.
    auto a =
        allocate_seats({{"a", 900}, {"b", 40}, {"c", 30}}, 30, election::seat_rules{10, 500, 2});
    REQUIRE(a.ok());
    CHECK(a->status == allocation_status::complete);
    CHECK(a->parties[0].seats == 8);
    CHECK(a->parties[1].seats == 2);
    CHECK(a->parties[1].runner_up_rule);
    CHECK(a->parties[2].seats == 0);
    // The rule off (0 seats in the package): the one party takes everything.
    auto b =
        allocate_seats({{"a", 900}, {"b", 40}, {"c", 30}}, 30, election::seat_rules{10, 500, 0});
    REQUIRE(b.ok());
    CHECK(b->parties[0].seats == 10);
    // Two parties equal for "next": unresolved, nothing allocated.
    auto c =
        allocate_seats({{"a", 900}, {"b", 40}, {"c", 40}}, 20, election::seat_rules{10, 500, 2});
    REQUIRE(c.ok());
    CHECK(c->status == allocation_status::unresolved_tie);
    CHECK(c->tied_parties == std::vector<std::string>{"b", "c"});
}

TEST_CASE("no party over the threshold: no seats, said so") {
    auto a = allocate_seats({{"a", 40}, {"b", 40}}, 920, election::seat_rules{10, 500, 2});
    REQUIRE(a.ok());
    CHECK(a->status == allocation_status::no_party_passed);
    CHECK(a->parties[0].seats == 0);
    CHECK(a->parties[1].seats == 0);
    CHECK(a->explanation.find("No party") != std::string::npos);
}

TEST_CASE("seat rules and votes out of range are refused") {
    CHECK(allocate_seats({{"a", 1}}, 0, election::seat_rules{0, 500, 2}).err().code ==
          "tally.bad_seat_rules");
    CHECK(allocate_seats({{"a", 1}}, 0, election::seat_rules{10, 10001, 2}).err().code ==
          "tally.bad_seat_rules");
    CHECK(allocate_seats({{"a", 1}}, 0, election::seat_rules{10, 500, 11}).err().code ==
          "tally.bad_seat_rules");
    CHECK(allocate_seats({{"a", -1}}, 0, majilis).err().code == "tally.bad_votes");
    CHECK(allocate_seats({{"a", 1}}, std::int64_t{1} << 41, majilis).err().code ==
          "tally.bad_votes");
}
