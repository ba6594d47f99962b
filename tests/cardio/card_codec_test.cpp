#include "cardio/card_codec.h"

#include <doctest/doctest.h>

#include "tests/cardio/card_fixtures.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio::testing;

namespace {

// Body offsets of the fixture records (station "119", two races): see docs/card-format.md.
constexpr std::size_t station_length_at = 32;
constexpr std::size_t race_count_at = 36;
constexpr std::size_t races_at = 37;
constexpr std::size_t choices_at = 89;

std::string parse_error(const bytes& data) {
    auto r = parse_card_record(data);
    if (r.ok())
        return "(parsed)";
    CHECK_FALSE(r.err().message.empty());
    return r.err().code;
}

}  // namespace

TEST_CASE("card records of every state survive encode and parse unchanged") {
    for (const card_record& record :
         {card_record{blank_card{}}, card_record{fixture_issued()}, card_record{fixture_voted()},
          card_record{fixture_voted_blank_ballot()}}) {
        auto data = encoded(record);
        auto parsed = parse_card_record(data);
        REQUIRE(parsed.ok());
        CHECK(*parsed == record);
        CHECK(encoded(*parsed) == data);
        CHECK(data.size() <= max_card_record_size);
        CHECK(card_record_size(data).value() == data.size());
    }
    CHECK(encoded(blank_card{}).size() == card_header_size + card_checksum_size);
}

TEST_CASE("the largest record the format allows fits its bound and parses") {
    issue_data issue = fixture_issue();
    issue.station_id = std::string(max_station_id_length, 'x');
    issue.style.clear();
    std::vector<ballot_choice> choices;
    for (std::uint8_t race = 0; race < max_races; ++race) {
        issue.style.push_back({race, 255});
        choices.push_back(ballot_choice::for_option(254));
    }
    auto voted = sign_as_booth(fixture_booth_key(), fixture_issued(issue), choices);
    REQUIRE(voted.ok());
    auto data = encoded(*voted);
    CHECK(data.size() == max_card_record_size);
    CHECK(parse_card_record(data).value() == card_record{*voted});
}

TEST_CASE("a card image may hold bytes after the record but a bare record may not") {
    auto data = encoded(fixture_issued());
    auto image = data;
    image.resize(card_record_file_size, 0xff);
    CHECK(parse_card_image(image).value() == card_record{fixture_issued()});
    data.push_back(0);
    CHECK(parse_error(data) == "card.trailing_garbage");
}

TEST_CASE("header errors: truncated, magic, torn, version, state, length") {
    auto blank = encoded(blank_card{});
    CHECK(parse_error({}) == "card.truncated");
    CHECK(parse_error(bytes(blank.begin(), blank.begin() + 7)) == "card.truncated");
    CHECK(parse_error(bytes(blank.begin(), blank.end() - 1)) == "card.truncated");
    CHECK(parse_error(bytes(64, 0x00)) == "card.bad_magic");
    CHECK(parse_error(bytes(64, 0xff)) == "card.bad_magic");
    for (std::size_t i = 0; i < 4; ++i) {
        auto bad = blank;
        bad[i] ^= 0x20;
        CHECK(parse_error(bad) == "card.bad_magic");
    }
    auto torn = encoded(fixture_voted());
    torn[0] = 0x00;
    CHECK(parse_error(torn) == "card.torn_write");
    CHECK(parse_error(seal(0x01, {}, 0)) == "card.unsupported_version");
    CHECK(parse_error(seal(0x01, {}, 2)) == "card.unsupported_version");
    CHECK(parse_error(seal(0x00, {})) == "card.bad_state");
    CHECK(parse_error(seal(0x04, {})) == "card.bad_state");
    CHECK(parse_error(seal(0x01, {0x00})) == "card.length_out_of_range");
    CHECK(parse_error(seal(0x02, bytes(84))) == "card.length_out_of_range");
    CHECK(parse_error(seal(0x02, bytes(131))) == "card.length_out_of_range");
    CHECK(parse_error(seal(0x03, bytes(182))) == "card.length_out_of_range");
    CHECK(parse_error(seal(0x03, bytes(243))) == "card.length_out_of_range");
    // A length far beyond the data is refused from the header alone, never read.
    bytes huge = {'B', 'B', 'c', 'r', 1, 0x03, 0xff, 0xff};
    CHECK(parse_error(huge) == "card.length_out_of_range");
    // A length in range but beyond the data given.
    bytes short_voted = {'B', 'B', 'c', 'r', 1, 0x03, 0x00, 183};
    CHECK(parse_error(short_voted) == "card.truncated");
}

TEST_CASE("a flipped bit anywhere in the body or checksum is a checksum mismatch") {
    auto data = encoded(fixture_voted());
    for (std::size_t i = card_header_size; i < data.size(); ++i) {
        auto bad = data;
        bad[i] ^= 0x01;
        CAPTURE(i);
        CHECK(parse_error(bad) == "card.checksum_mismatch");
    }
}

TEST_CASE("body field errors, each past a correct checksum") {
    auto body = body_of(encoded(fixture_voted()));
    auto voted = [&](auto edit) {
        auto b = body;
        edit(b);
        return parse_error(seal(0x03, b));
    };
    CHECK(voted([](bytes&) {}) == "(parsed)");
    // station id: empty, too long, a character outside the allowed set
    CHECK(voted([](bytes& b) { b[station_length_at] = 0; }) == "card.bad_station_id");
    CHECK(voted([](bytes& b) {
              b[station_length_at] = 33;
              b.insert(b.begin() + station_length_at + 1, 30, 'a');
          }) == "card.bad_station_id");
    CHECK(voted([](bytes& b) { b[station_length_at + 2] = ' '; }) == "card.bad_station_id");
    // style: no races, too many, out of order, race index too large, no options
    CHECK(voted([](bytes& b) { b[race_count_at] = 0; }) == "card.bad_style");
    CHECK(voted([](bytes& b) { b[race_count_at] = 9; }) == "card.bad_style");
    CHECK(voted([](bytes& b) { std::swap(b[races_at], b[races_at + 2]); }) == "card.bad_style");
    CHECK(voted([](bytes& b) { b[races_at + 2] = 0; }) == "card.bad_style");
    CHECK(voted([](bytes& b) { b[races_at + 2] = 8; }) == "card.bad_style");
    CHECK(voted([](bytes& b) { b[races_at + 3] = 0; }) == "card.bad_style");
    // choices: unknown kind, non-canonical "against all", option index out of range
    CHECK(voted([](bytes& b) { b[choices_at] = 0x00; }) == "card.bad_choice");
    CHECK(voted([](bytes& b) { b[choices_at] = 0x04; }) == "card.bad_choice");
    CHECK(voted([](bytes& b) { b[choices_at + 3] = 1; }) == "card.bad_choice");
    CHECK(voted([](bytes& b) { b[choices_at + 1] = 7; }) == "card.choice_out_of_range");
    CHECK(voted([](bytes& b) { b[choices_at + 1] = 6; }) == "(parsed)");
    CHECK(voted([](bytes& b) { b[choices_at + 2] = 1, b[choices_at + 3] = 16; }) ==
          "card.choice_out_of_range");
    CHECK(voted([](bytes& b) { b[choices_at + 2] = 1, b[choices_at + 3] = 15; }) == "(parsed)");
    // fields that do not fill the declared length exactly
    CHECK(voted([](bytes& b) { b.push_back(0); }) == "card.body_length_mismatch");
    CHECK(voted([](bytes& b) { b.pop_back(); }) == "card.body_length_mismatch");
    // a station id of 5 characters in the shortest issued body: the MAC runs past its end
    bytes issued_body(32, 0xee);
    const bytes fields = {5, '1', '1', '9', '1', '1', 1, 0, 7};
    for (auto b : fields)
        issued_body.push_back(b);
    issued_body.resize(85, 0xaa);
    CHECK(parse_error(seal(0x02, issued_body)) == "card.body_length_mismatch");
    // a voted body sealed as issued, and an issued body sealed as voted
    CHECK(parse_error(seal(0x02, body_of(encoded(fixture_voted())))) == "card.length_out_of_range");
    auto padded = body_of(encoded(fixture_issued()));
    padded.resize(183, 0);
    CHECK(parse_error(seal(0x03, padded)) == "card.bad_choice");
}

TEST_CASE("the encoder refuses values outside the format with the parser's codes") {
    auto code = [](const card_record& r) {
        auto e = encode_card_record(r);
        return e.ok() ? std::string("(encoded)") : e.err().code;
    };
    auto issued = fixture_issued();
    auto with_issue = [&](auto edit) {
        auto c = issued;
        edit(c.issue);
        return code(c);
    };
    CHECK(with_issue([](issue_data&) {}) == "(encoded)");
    CHECK(with_issue([](issue_data& i) { i.station_id = ""; }) == "card.bad_station_id");
    CHECK(with_issue([](issue_data& i) { i.station_id = std::string(33, 'a'); }) ==
          "card.bad_station_id");
    CHECK(with_issue([](issue_data& i) { i.station_id = "119\xc3\xa4"; }) == "card.bad_station_id");
    CHECK(with_issue([](issue_data& i) { i.style.clear(); }) == "card.bad_style");
    CHECK(with_issue([](issue_data& i) { i.style = {{1, 3}, {1, 3}}; }) == "card.bad_style");
    CHECK(with_issue([](issue_data& i) { i.style = {{0, 0}}; }) == "card.bad_style");
    CHECK(with_issue([](issue_data& i) { i.style.assign(9, {0, 1}); }) == "card.bad_style");

    auto voted = fixture_voted();
    auto with_choices = [&](std::vector<ballot_choice> choices) {
        auto c = voted;
        c.choices = std::move(choices);
        return code(c);
    };
    CHECK(with_choices({ballot_choice::left_blank()}) == "card.choice_count_mismatch");
    CHECK(with_choices({ballot_choice::for_option(7), ballot_choice::left_blank()}) ==
          "card.choice_out_of_range");
    CHECK(with_choices({{choice_kind::blank, 1}, ballot_choice::left_blank()}) ==
          "card.bad_choice");
    CHECK(with_choices({{static_cast<choice_kind>(9), 0}, ballot_choice::left_blank()}) ==
          "card.bad_choice");
}

TEST_CASE("card_record_size reads the total size from the header alone") {
    auto voted = encoded(fixture_voted());
    CHECK(card_record_size(byte_view(voted).first(card_header_size)).value() == voted.size());
    CHECK(card_record_size(byte_view(voted).first(7)).err().code == "card.truncated");
}
