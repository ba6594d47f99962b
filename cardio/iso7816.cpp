#include "cardio/iso7816.h"

#include <algorithm>
#include <string>

#include "cardio/apdu_status.h"

namespace ballotbox::cardio {
namespace {

constexpr std::uint16_t sw_end_of_file = 0x6282;
constexpr std::uint16_t sw_offset_outside = 0x6B00;

status check_offset(std::size_t offset, std::size_t length) {
    if (offset > max_binary_offset || length > max_binary_offset + 1 - offset)
        return make_error("card.offset_too_large",
                          "file access at offset " + std::to_string(offset) + " for " +
                              std::to_string(length) +
                              " bytes goes beyond the 32 KiB that READ/UPDATE BINARY can "
                              "address (program error)");
    return ok_status();
}

command_apdu read_command(std::size_t offset, std::size_t le) {
    return command_apdu{.cla = 0x00,
                        .ins = 0xB0,
                        .p1 = static_cast<std::uint8_t>(offset >> 8),
                        .p2 = static_cast<std::uint8_t>(offset & 0xff),
                        .data = {},
                        .le = le};
}

error short_file_error(std::size_t offset, std::size_t wanted) {
    return make_error("card.end_of_file",
                      "the file on the card ended at offset " + std::to_string(offset) +
                          " before the " + std::to_string(wanted) +
                          " bytes expected; this is not a complete ballot card: take it out, "
                          "insert it again, and if it happens again put it aside");
}

}  // namespace

iso7816_card::iso7816_card(card_transport& transport, iso7816_options options)
    : transport_(transport), options_(options) {
    options_.read_chunk = std::clamp<std::size_t>(options_.read_chunk, 1, max_short_le);
    options_.write_chunk = std::clamp<std::size_t>(options_.write_chunk, 1, max_short_lc);
}

status iso7816_card::select_ef(std::uint16_t file_id) {
    command_apdu select{.cla = 0x00,
                        .ins = 0xA4,
                        .p1 = 0x02,
                        .p2 = 0x0C,
                        .data = {static_cast<std::uint8_t>(file_id >> 8),
                                 static_cast<std::uint8_t>(file_id & 0xff)},
                        .le = 0};
    auto answer = exchange(transport_, select, options_.exchange);
    BALLOTBOX_TRY(answer);
    if (answer->sw == 0x6A86) {  // the card wants to return the FCP
        select.p2 = 0x00;
        select.le = max_short_le;
        answer = exchange(transport_, select, options_.exchange);
        BALLOTBOX_TRY(answer);
    }
    return check_status_word(answer->sw, "selecting the ballot file on the card");
}

result<bytes> iso7816_card::read_binary(std::size_t offset, std::size_t length) {
    BALLOTBOX_TRY(check_offset(offset, length));
    bytes out;
    out.reserve(length);
    while (out.size() < length) {
        const std::size_t at = offset + out.size();
        const std::size_t want = std::min(options_.read_chunk, length - out.size());
        auto answer = exchange(transport_, read_command(at, want), options_.exchange);
        BALLOTBOX_TRY(answer);
        if (answer->sw == sw_offset_outside)
            return short_file_error(at, length);
        if (answer->sw != sw_end_of_file)
            BALLOTBOX_TRY(check_status_word(answer->sw, "reading the ballot file"));
        if (answer->data.size() > want)
            return make_error("card.response_too_long",
                              "the card returned " + std::to_string(answer->data.size()) +
                                  " bytes when " + std::to_string(want) +
                                  " were asked for; take the card out and insert it again");
        out.insert(out.end(), answer->data.begin(), answer->data.end());
        if (answer->data.size() < want || answer->sw == sw_end_of_file) {
            if (out.size() < length)
                return short_file_error(offset + out.size(), length);
        }
    }
    return out;
}

result<bytes> iso7816_card::read_ef(std::size_t max_size) {
    bytes out;
    for (;;) {
        const std::size_t at = out.size();
        if (at > max_binary_offset)
            break;
        // Ask for one byte more than the limit allows, to tell "exactly max" from "too big".
        const std::size_t want =
            std::min({options_.read_chunk, max_size + 1 - at, max_binary_offset + 1 - at});
        auto answer = exchange(transport_, read_command(at, want), options_.exchange);
        BALLOTBOX_TRY(answer);
        if (answer->sw == sw_offset_outside)
            break;  // offset is the file's size
        if (answer->sw != sw_end_of_file)
            BALLOTBOX_TRY(check_status_word(answer->sw, "reading the ballot file"));
        if (answer->data.size() > want)
            return make_error("card.response_too_long",
                              "the card returned " + std::to_string(answer->data.size()) +
                                  " bytes when " + std::to_string(want) +
                                  " were asked for; take the card out and insert it again");
        out.insert(out.end(), answer->data.begin(), answer->data.end());
        if (out.size() > max_size)
            return make_error("card.file_too_large",
                              "the file on the card is larger than the " +
                                  std::to_string(max_size) +
                                  " bytes a ballot record may have; this is not a ballot card: "
                                  "put it aside");
        if (answer->sw == sw_end_of_file || answer->data.size() < want)
            break;
    }
    return out;
}

status iso7816_card::update_binary(std::size_t offset, byte_view data) {
    BALLOTBOX_TRY(check_offset(offset, data.size()));
    std::size_t done = 0;
    while (done < data.size()) {
        const std::size_t at = offset + done;
        const std::size_t n = std::min(options_.write_chunk, data.size() - done);
        command_apdu update{.cla = 0x00,
                            .ins = 0xD6,
                            .p1 = static_cast<std::uint8_t>(at >> 8),
                            .p2 = static_cast<std::uint8_t>(at & 0xff),
                            .data = bytes(data.begin() + done, data.begin() + done + n),
                            .le = 0};
        auto answer = exchange(transport_, update, options_.exchange);
        BALLOTBOX_TRY(answer);
        BALLOTBOX_TRY(check_status_word(answer->sw, "writing the ballot file"));
        done += n;
    }
    return ok_status();
}

}  // namespace ballotbox::cardio
