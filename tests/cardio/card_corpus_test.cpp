// Keeps the checked-in fuzz seed corpus (tests/fuzz/corpus/card_record, written by
// tests/fuzz/card_record_corpus.cpp) in step with the format: if the format changes and the
// corpus is not regenerated, its "valid-*" seeds stop parsing and this fails.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "tests/cardio/card_fixtures.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio::testing;

namespace {

bytes read_seed(const std::string& name) {
    std::ifstream in(BALLOTBOX_SOURCE_DIR "/tests/fuzz/corpus/card_record/" + name,
                     std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing seed " << name);
    return bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("the fuzz seed corpus holds current valid records of every state") {
    CHECK(read_seed("valid-blank") == encoded(blank_card{}));
    CHECK(read_seed("valid-issued") == encoded(fixture_issued()));
    CHECK(read_seed("valid-voted") == encoded(fixture_voted()));
    CHECK(read_seed("valid-voted-blank") == encoded(fixture_voted_blank_ballot()));
    CHECK(parse_card_image(read_seed("image-voted")).value() == card_record{fixture_voted()});
}

TEST_CASE("the fuzz seed corpus reaches every parser error") {
    std::set<std::string> codes;
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(
             BALLOTBOX_SOURCE_DIR "/tests/fuzz/corpus/card_record")) {
        auto seed = read_seed(entry.path().filename().string());
        auto parsed = parse_card_record(seed);
        codes.insert(parsed.ok() ? "ok" : parsed.err().code);
        ++files;
    }
    CHECK(files >= 50);
    for (const char* code :
         {"ok", "card.truncated", "card.torn_write", "card.bad_magic", "card.unsupported_version",
          "card.bad_state", "card.length_out_of_range", "card.checksum_mismatch",
          "card.trailing_garbage", "card.bad_station_id", "card.bad_style", "card.bad_choice",
          "card.choice_out_of_range", "card.body_length_mismatch"}) {
        CAPTURE(code);
        CHECK(codes.count(code) == 1);
    }
}
