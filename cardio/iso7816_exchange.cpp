#include "cardio/iso7816_exchange.h"

#include <string>

#include "cardio/apdu_status.h"

namespace ballotbox::cardio {
namespace {

std::size_t le_from_sw2(std::uint8_t sw2) {
    return sw2 == 0 ? 256 : sw2;
}

// Sends one command; on 6Cxx sends it once more with the Le the card asked for.
result<response_apdu> send_with_le_retry(card_transport& transport, command_apdu command) {
    for (int attempt = 0;; ++attempt) {
        auto encoded = encode_command(command);
        BALLOTBOX_TRY(encoded);
        auto raw = transport.transmit(*encoded);
        BALLOTBOX_TRY(raw);
        auto response = parse_response(*raw);
        BALLOTBOX_TRY(response);
        if (response->sw1() != 0x6C)
            return response;
        if (attempt == 1)
            return make_error("card.wrong_le",
                              "the card asked twice for a different response length (status " +
                                  to_hex(byte_view(raw->data() + raw->size() - 2, 2)) +
                                  "); take the card out and insert it again, and if it happens "
                                  "again use another card");
        command.le = le_from_sw2(response->sw2());
    }
}

}  // namespace

result<response_apdu> exchange(card_transport& transport, const command_apdu& command,
                               const exchange_options& options) {
    auto first = send_with_le_retry(transport, command);
    BALLOTBOX_TRY(first);
    response_apdu answer = std::move(*first);
    std::size_t rounds = 0;
    while (answer.sw1() == 0x61) {
        if (rounds++ == options.max_get_response)
            return make_error("card.response_chain_too_long",
                              "the card kept announcing more response data after " +
                                  std::to_string(options.max_get_response) +
                                  " GET RESPONSE commands; take the card out and insert it "
                                  "again, and if it happens again use another card");
        command_apdu get_response{.cla = 0x00,
                                  .ins = 0xC0,
                                  .p1 = 0,
                                  .p2 = 0,
                                  .data = {},
                                  .le = le_from_sw2(answer.sw2())};
        auto next = send_with_le_retry(transport, get_response);
        BALLOTBOX_TRY(next);
        answer.data.insert(answer.data.end(), next->data.begin(), next->data.end());
        answer.sw = next->sw;
    }
    return answer;
}

}  // namespace ballotbox::cardio
