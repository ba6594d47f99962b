// Writes the seed corpus of the card_record fuzz target:
//
//   card_record_corpus <directory>      (usually tests/fuzz/corpus/card_record)
//
// Valid records of every state (the fixtures of tests/cardio/card_fixtures.h, the same as the
// vectors of docs/card-format.md), whole card images, truncations, writes torn at several
// points, and one input per parser error. Existing files of the same names are replaced;
// files the fuzzer added are left alone. Run it again after any change to the format.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cardio/card_write_plan.h"
#include "tests/cardio/card_fixtures.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio::testing;

namespace {

std::filesystem::path out_dir;
int written = 0;

void put(const std::string& name, byte_view data) {
    std::ofstream out(out_dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
    if (!out) {
        std::fprintf(stderr, "card_record_corpus: cannot write %s\n", name.c_str());
        std::exit(1);
    }
    ++written;
}

bytes image_of(const bytes& record) {
    auto image = record;
    image.resize(card_record_file_size, 0);
    return image;
}

// The image after the first `k` bytes of the write of `to` over `from`.
bytes torn(const bytes& from, const bytes& to, std::size_t k) {
    auto image = image_of(from);
    const auto plan = plan_write(image, to, 128).value();
    for (const auto& chunk : plan)
        for (std::size_t i = 0; i < chunk.data.size() && k > 0; ++i, --k)
            image[chunk.offset + i] = chunk.data[i];
    return bytes(image.begin(), image.begin() + std::max(from.size(), to.size()));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: card_record_corpus <directory>\n");
        return 2;
    }
    out_dir = argv[1];
    std::filesystem::create_directories(out_dir);

    const auto blank = encoded(blank_card{}), issued = encoded(fixture_issued()),
               voted = encoded(fixture_voted()),
               voted_blank = encoded(fixture_voted_blank_ballot());
    const std::pair<const char*, const bytes*> valid[] = {
        {"blank", &blank}, {"issued", &issued}, {"voted", &voted}, {"voted-blank", &voted_blank}};
    for (const auto& [name, data] : valid) {
        put(std::string("valid-") + name, *data);
        put(std::string("image-") + name, image_of(*data));
        auto trailing = *data;
        trailing.push_back(0);
        put(std::string("trailing-") + name, trailing);
        for (std::size_t cut :
             {std::size_t{4}, card_header_size, data->size() / 2, data->size() - 1})
            put(std::string("truncated-") + name + "-" + std::to_string(cut),
                bytes(data->begin(), data->begin() + static_cast<std::ptrdiff_t>(cut)));
    }
    const std::pair<const char*, std::pair<const bytes*, const bytes*>> writes[] = {
        {"voted-to-blank", {&voted, &blank}},
        {"blank-to-issued", {&blank, &issued}},
        {"issued-to-voted", {&issued, &voted}}};
    for (const auto& [name, pair] : writes)
        for (std::size_t k : {std::size_t{1}, std::size_t{3}, std::size_t{20}, std::size_t{100}})
            put(std::string("torn-") + name + "-" + std::to_string(k),
                torn(*pair.first, *pair.second, k));

    auto body = body_of(voted);
    auto sealed_edit = [&](const char* name, auto edit) {
        auto b = body;
        edit(b);
        put(std::string("field-") + name, seal(0x03, b));
    };
    sealed_edit("station-empty", [](bytes& b) { b[32] = 0; });
    sealed_edit("station-char", [](bytes& b) { b[34] = ' '; });
    sealed_edit("style-no-races", [](bytes& b) { b[36] = 0; });
    sealed_edit("style-order", [](bytes& b) { std::swap(b[37], b[39]); });
    sealed_edit("style-zero-options", [](bytes& b) { b[40] = 0; });
    sealed_edit("choice-kind", [](bytes& b) { b[89] = 4; });
    sealed_edit("choice-range", [](bytes& b) { b[90] = 7; });
    sealed_edit("body-extra", [](bytes& b) { b.push_back(0); });
    put("header-version-2", seal(0x01, {}, 2));
    put("header-state-4", seal(0x04, {}));
    put("header-length-range", seal(0x02, bytes(84)));
    auto flipped = voted;
    flipped[100] ^= 1;
    put("checksum-flip", flipped);
    put("zeros", bytes(64, 0));
    put("erased", bytes(64, 0xff));
    std::printf("card_record_corpus: %d files in %s\n", written, out_dir.c_str());
    return 0;
}
