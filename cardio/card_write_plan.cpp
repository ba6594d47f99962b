#include "cardio/card_write_plan.h"

#include <algorithm>

#include "cardio/card_codec.h"
#include "cardio/card_record.h"

namespace ballotbox::cardio {
namespace {

void append_chunks(std::vector<write_chunk>& plan, std::size_t offset, byte_view data,
                   std::size_t chunk_size) {
    for (std::size_t done = 0; done < data.size(); done += chunk_size) {
        auto part = data.subspan(done, std::min(chunk_size, data.size() - done));
        plan.push_back({offset + done, bytes(part.begin(), part.end())});
    }
}

}  // namespace

result<std::vector<write_chunk>> plan_write(byte_view old_image, byte_view new_record,
                                            std::size_t chunk_size) {
    if (chunk_size == 0 || chunk_size > 255)
        return make_error(
            "card.bad_chunk_size",
            "UPDATE BINARY chunk size " + std::to_string(chunk_size) + " is outside 1..255.");
    if (new_record.size() > card_record_file_size || old_image.size() > card_record_file_size)
        return make_error("card.record_too_large",
                          "The record or card image is larger than the card's record file (" +
                              std::to_string(card_record_file_size) + " bytes).");
    if (new_record.size() < card_header_size || new_record[0] != card_commit_byte)
        return make_error("card.not_a_record",
                          "The bytes to write are not an encoded ballot-card record.");
    std::vector<write_chunk> plan;
    plan.push_back({0, {card_open_byte}});
    append_chunks(plan, 1, new_record.subspan(1), chunk_size);
    // Stale bytes of the old image beyond the new record: wipe up to the last non-zero one.
    std::size_t stale_end = old_image.size();
    while (stale_end > new_record.size() && old_image[stale_end - 1] == 0)
        --stale_end;
    if (stale_end > new_record.size()) {
        bytes zeros(stale_end - new_record.size(), 0);
        append_chunks(plan, new_record.size(), zeros, chunk_size);
    }
    plan.push_back({0, {card_commit_byte}});
    return plan;
}

}  // namespace ballotbox::cardio
