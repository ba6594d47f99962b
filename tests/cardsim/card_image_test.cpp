// The card image format: round trips, atomic saves and one error per malformed input.
#include "tools/cardsim/card_image.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace ballotbox;
using namespace ballotbox::cardsim;

namespace {

card_image sample() {
    auto image = blank_card_image({{0x0B01, 5}, {0x0C00, 2}}).value();
    image.files[0].content = {1, 2, 3, 4, 5};
    image.files[1].content = {0xAA, 0xBB};
    return image;
}

std::filesystem::path temp_dir() {
    auto dir =
        std::filesystem::temp_directory_path() / ("cardsim-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

std::string code_of(const bytes& data) {
    auto r = decode_card_image(data);
    return r.ok() ? "ok" : r.err().code;
}

}  // namespace

TEST_CASE("the default layout is one EF 0B01 of 1024 zero bytes") {
    auto image = blank_card_image(default_layout()).value();
    REQUIRE(image.files.size() == 1);
    CHECK(image.files[0].id == 0x0B01);
    CHECK(image.files[0].content == bytes(1024, 0));
}

TEST_CASE(
    "a card with a record: the record at the start of the EF, zeros after, refused if too long") {
    const bytes record = {0x42, 0x42, 0x01, 0x02, 0x03};
    auto image = card_image_with_record(record);
    REQUIRE(image.ok());
    REQUIRE(image->files.size() == 1);
    const auto& ef = image->files[0].content;
    REQUIRE(ef.size() == 1024);
    CHECK(bytes(ef.begin(), ef.begin() + 5) == record);
    CHECK(std::all_of(ef.begin() + 5, ef.end(), [](std::uint8_t b) { return b == 0; }));
    CHECK(card_image_with_record(bytes(1024, 7)).ok());
    auto too_long = card_image_with_record(bytes(1025, 7));
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.err().code == "cardsim.record_too_long");
}

TEST_CASE("encode and decode round trip, with the documented header") {
    auto image = sample();
    auto data = encode_card_image(image);
    CHECK(to_hex(byte_view(data).first(20)) == "424243415244494d000100020b0100050c000002");
    CHECK(data.size() == 20 + 7 + 32);
    CHECK(decode_card_image(data).value() == image);
}

TEST_CASE("each malformed image gets its own error") {
    const auto good = encode_card_image(sample());
    auto with = [&](std::size_t at, std::uint8_t v) {
        auto d = good;
        d[at] = v;
        return d;
    };
    CHECK(code_of({}) == "cardsim.image_truncated");
    CHECK(code_of(bytes(good.begin(), good.end() - 1)) == "cardsim.image_truncated");
    CHECK(code_of(with(0, 'X')) == "cardsim.image_bad_magic");
    CHECK(code_of(with(9, 2)) == "cardsim.image_unsupported_version");
    CHECK(code_of(with(11, 0)) == "cardsim.image_bad_file_count");
    CHECK(code_of(with(11, 17)) == "cardsim.image_bad_file_count");
    CHECK(code_of(with(11, 9)) == "cardsim.image_truncated");  // table runs past the end
    auto mf = with(12, 0x3F);
    mf[13] = 0x00;
    CHECK(code_of(mf) == "cardsim.image_reserved_file_id");
    CHECK(code_of(with(13, 0x00)) == "cardsim.image_checksum_mismatch");  // 0B00: a fine id
    auto dup = with(16, 0x0B);
    dup[17] = 0x01;
    CHECK(code_of(dup) == "cardsim.image_duplicate_file_id");
    CHECK(code_of(with(15, 0)) == "cardsim.image_bad_file_size");
    auto trailing = good;
    trailing.push_back(0);
    CHECK(code_of(trailing) == "cardsim.image_trailing_bytes");
    CHECK(code_of(with(22, 9)) == "cardsim.image_checksum_mismatch");
}

TEST_CASE("blank_card_image checks the layout") {
    CHECK(blank_card_image({}).err().code == "cardsim.image_bad_file_count");
    CHECK(blank_card_image({{0x3F00, 4}}).err().code == "cardsim.image_reserved_file_id");
    CHECK(blank_card_image({{0x0B01, 0}}).err().code == "cardsim.image_bad_file_size");
    CHECK(blank_card_image({{0x0B01, 0x8000}}).err().code == "cardsim.image_bad_file_size");
    CHECK(blank_card_image({{1, 1}, {1, 1}}).err().code == "cardsim.image_duplicate_file_id");
}

TEST_CASE("save and load round trip, a failed save leaves the old image") {
    auto dir = temp_dir();
    auto path = dir / "card.img";
    REQUIRE(save_card_image(sample(), path).ok());
    CHECK(load_card_image(path).value() == sample());
    auto bad = sample();
    bad.files.clear();
    CHECK(save_card_image(bad, path).err().code == "cardsim.image_bad_file_count");
    CHECK(load_card_image(path).value() == sample());
    CHECK(save_card_image(sample(), dir / "missing" / "card.img").err().code ==
          "cardsim.image_write_failed");
    CHECK(load_card_image(dir / "nothing.img").err().code == "cardsim.image_unreadable");
    // No temporary files left behind.
    std::size_t entries = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir))
        ++entries;
    CHECK(entries == 1);
    std::filesystem::remove_all(dir);
}
