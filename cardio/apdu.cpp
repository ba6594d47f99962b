#include "cardio/apdu.h"

#include <string>

namespace ballotbox::cardio {

result<bytes> encode_command(const command_apdu& command) {
    if (command.data.size() > max_short_lc)
        return make_error("card.apdu_data_too_long",
                          "a command for the card carries " + std::to_string(command.data.size()) +
                              " data bytes; a short APDU carries at most 255 (program error: "
                              "the data must be sent in smaller chunks)");
    if (command.le > max_short_le)
        return make_error("card.apdu_le_too_large",
                          "a command asks the card for " + std::to_string(command.le) +
                              " bytes; a short APDU can ask for at most 256 (program error: "
                              "the data must be read in smaller chunks)");
    bytes out{command.cla, command.ins, command.p1, command.p2};
    out.reserve(4 + 1 + command.data.size() + 1);
    if (!command.data.empty()) {
        out.push_back(static_cast<std::uint8_t>(command.data.size()));
        out.insert(out.end(), command.data.begin(), command.data.end());
    }
    if (command.le > 0)
        out.push_back(static_cast<std::uint8_t>(command.le & 0xff));  // 256 -> 00
    return out;
}

result<response_apdu> parse_response(byte_view raw) {
    if (raw.size() < 2)
        return make_error("card.response_too_short",
                          "the card answered with " + std::to_string(raw.size()) +
                              " bytes, too few to hold a status word; take the card out and "
                              "insert it again");
    if (raw.size() > max_short_response)
        return make_error("card.response_too_long",
                          "the card answered with " + std::to_string(raw.size()) +
                              " bytes, more than a short APDU can carry (258); this card or "
                              "reader is not supported");
    response_apdu r;
    r.data.assign(raw.begin(), raw.end() - 2);
    r.sw = static_cast<std::uint16_t>(raw[raw.size() - 2] << 8 | raw[raw.size() - 1]);
    return r;
}

bytes encode_response(const response_apdu& response) {
    bytes out = response.data;
    out.push_back(response.sw1());
    out.push_back(response.sw2());
    return out;
}

}  // namespace ballotbox::cardio
