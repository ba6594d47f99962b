// Fuzz target for the ballot-card record parser (cardio/card_codec.h).
//
// Besides "no crash, no read past the input" (under ASan/UBSan), it checks, aborting on any
// violation:
// - every refusal carries a "card." code and a non-empty message;
// - anything that parses re-encodes to exactly the bytes it was parsed from (one encoding
//   per record), whether parsed as a bare record or from the start of a card image;
// - a parsed record, written over the input with plan_write, reads back as itself.
// Each input is tried as given and, when its header announces a size it holds, once more
// with the checksum recomputed, so mutations reach the body parser instead of stopping at
// the checksum.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "cardio/card_codec.h"
#include "cardio/card_write_plan.h"

namespace {

using namespace ballotbox;
using namespace ballotbox::cardio;

void check(bool condition) {
    if (!condition)
        std::abort();
}

void check_refusal(const error& e) {
    check(e.code.rfind("card.", 0) == 0 && e.code.size() > 5);
    check(!e.message.empty());
}

void check_rewrite(byte_view old_image, const card_record& record, const bytes& encoded) {
    auto plan = plan_write(old_image, encoded, 128);
    check(plan.ok());
    bytes image(old_image.begin(), old_image.end());
    image.resize(card_record_file_size, 0);
    for (const auto& chunk : *plan) {
        check(chunk.offset + chunk.data.size() <= image.size());
        std::copy(chunk.data.begin(), chunk.data.end(), image.begin() + chunk.offset);
    }
    auto again = parse_card_image(image);
    check(again.ok() && *again == record);
}

void check_input(byte_view input) {
    auto record = parse_card_record(input);
    if (!record.ok()) {
        check_refusal(record.err());
    } else {
        auto encoded = encode_card_record(*record);
        check(encoded.ok());
        check(bytes(input.begin(), input.end()) == *encoded);
        if (input.size() <= card_record_file_size)
            check_rewrite(input, *record, *encoded);
    }
    auto from_image = parse_card_image(input);
    if (!from_image.ok()) {
        check_refusal(from_image.err());
        return;
    }
    auto encoded = encode_card_record(*from_image);
    check(encoded.ok() && encoded->size() <= input.size());
    check(std::equal(encoded->begin(), encoded->end(), input.begin()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    byte_view input(data, size);
    check_input(input);
    auto record_size = card_record_size(input);
    if (record_size.ok() && *record_size <= size) {
        bytes sealed(input.begin(), input.begin() + *record_size);
        auto covered = byte_view(sealed).first(*record_size - card_checksum_size);
        auto sum = card_record_checksum(covered);
        std::copy(sum.begin(), sum.end(), sealed.begin() + covered.size());
        check_input(sealed);
    }
    return 0;
}
