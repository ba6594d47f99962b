// card_image: the stored content of one virtual card — its transparent elementary files
// under the master file — and the small on-disk format that lets one card be "moved"
// between readers (and between cardsim processes).
//
// File format, version 1 (all integers big-endian):
//   magic        8 bytes  "BBCARDIM"
//   version      u16      1
//   file count   u16      1..16
//   file table   count x { file id u16, size u16 }   in the order the contents follow
//   contents     the files' bytes, concatenated in table order
//   checksum     32 bytes SHA-256 over everything before it
// A file id may not be 3F00 (the MF), 3FFF or FFFF (reserved by ISO 7816-4) and may not
// repeat; a size is 1..32767 (READ/UPDATE BINARY offsets are 15 bits).
//
// decode_card_image is strict: it never reads past the input and gives each malformed
// input its own error code (cardsim.image_*). save_card_image writes atomically
// (temporary file in the same folder, fsync, rename, fsync of the folder): a failed save
// leaves the previous image untouched.
//
// Thread safety: plain values and free functions; no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardsim {

struct card_file {
    std::uint16_t id = 0;
    bytes content;  // its size is the file's size

    friend bool operator==(const card_file&, const card_file&) = default;
};

struct card_image {
    std::vector<card_file> files;

    friend bool operator==(const card_image&, const card_image&) = default;
};

// The size and id of one EF of a new card.
struct file_spec {
    std::uint16_t id = 0;
    std::uint16_t size = 0;
};

constexpr std::uint16_t master_file_id = 0x3F00;
constexpr std::uint16_t max_file_size = 0x7FFF;
constexpr std::size_t max_file_count = 16;

// The default layout: one transparent EF 0B01 of 1024 bytes (the ballot card's EF).
std::vector<file_spec> default_layout();

// A card whose EFs are all zero bytes (a blank card). Checks the layout's rules.
result<card_image> blank_card_image(const std::vector<file_spec>& layout);

// A card of the default layout whose ballot EF starts with `record` (a card record as
// cardio encodes it), the rest zero. Errors: "cardsim.record_too_long".
result<card_image> card_image_with_record(byte_view record);

// Checks the rules above (ids, sizes, count); used by encode and by blank_card_image.
status validate_card_image(const card_image& image);

bytes encode_card_image(const card_image& image);  // image must be valid
result<card_image> decode_card_image(byte_view data);

result<card_image> load_card_image(const std::filesystem::path& path);
status save_card_image(const card_image& image, const std::filesystem::path& path);

}  // namespace ballotbox::cardsim
