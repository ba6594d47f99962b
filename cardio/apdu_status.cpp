#include "cardio/apdu_status.h"

#include <cstdio>
#include <string>

namespace ballotbox::cardio {
namespace {

struct meaning {
    const char* code;
    const char* text;
};

constexpr const char* reinsert =
    "take the card out and insert it again; if it happens again, "
    "put this card aside and use another";
constexpr const char* not_ballot =
    "this is not a prepared ballot card or it is damaged: put it "
    "aside and use another card";

meaning exact_meaning(std::uint16_t sw) {
    switch (sw) {
        case 0x6281:
            return {"card.data_corrupted", "part of the data read may be corrupted"};
        case 0x6282:
            return {"card.end_of_file", "the end of the file was reached early"};
        case 0x6283:
            return {"card.file_deactivated", "the selected file is deactivated"};
        case 0x6284:
            return {"card.file_control_invalid", "the file's control data is invalid"};
        case 0x6381:
            return {"card.file_filled_up", "the file was filled up by the last write"};
        case 0x6581:
            return {"card.memory_failure", "the card's memory failed to write"};
        case 0x6700:
            return {"card.wrong_length", "the card rejected the command length"};
        case 0x6881:
            return {"card.logical_channel_not_supported", "logical channels unsupported"};
        case 0x6882:
            return {"card.secure_messaging_not_supported", "secure messaging is not supported"};
        case 0x6981:
            return {"card.incompatible_file", "the file has the wrong structure"};
        case 0x6982:
            return {"card.security_not_satisfied", "the card refuses access to the file"};
        case 0x6983:
            return {"card.authentication_blocked", "the card's authentication is blocked"};
        case 0x6984:
            return {"card.reference_data_unusable", "reference data is not usable"};
        case 0x6985:
            return {"card.conditions_not_satisfied", "conditions of use not satisfied"};
        case 0x6986:
            return {"card.no_current_file", "no file is selected on the card"};
        case 0x6987:
        case 0x6988:
            return {"card.secure_messaging_error", "secure messaging data is wrong"};
        case 0x6A80:
            return {"card.incorrect_data", "the card rejected the data sent to it"};
        case 0x6A81:
            return {"card.function_not_supported", "the card lacks this function"};
        case 0x6A82:
            return {"card.file_not_found", "the ballot file is not on the card"};
        case 0x6A83:
            return {"card.record_not_found", "the record is not on the card"};
        case 0x6A84:
            return {"card.not_enough_memory", "the file on the card is too small"};
        case 0x6A85:
        case 0x6A87:
            return {"card.lc_inconsistent", "the card rejected the data length"};
        case 0x6A86:
            return {"card.wrong_parameters", "the card rejected the command parameters"};
        case 0x6A88:
            return {"card.data_not_found", "referenced data not found on the card"};
        case 0x6A89:
            return {"card.file_exists", "the file already exists"};
        case 0x6A8A:
            return {"card.file_exists", "the DF name already exists"};
        case 0x6B00:
            return {"card.wrong_parameters", "the offset is outside the file on the card"};
        case 0x6D00:
            return {"card.ins_not_supported", "the card does not know the command"};
        case 0x6E00:
            return {"card.cla_not_supported", "the card does not know the command class"};
        case 0x6F00:
            return {"card.no_precise_diagnosis", "the card reported an internal error"};
        default:
            return {nullptr, nullptr};
    }
}

meaning class_meaning(std::uint16_t sw) {
    const std::uint8_t sw1 = static_cast<std::uint8_t>(sw >> 8);
    switch (sw1) {
        case 0x61:
            return {"card.response_pending", "the card has unread response bytes"};
        case 0x62:
            return {"card.warning", "the card returned a warning"};
        case 0x63:
            if ((sw & 0xf0) == 0xc0)
                return {"card.verification_failed", "verification failed (counter in SW2)"};
            return {"card.warning", "the card returned a warning and changed its memory"};
        case 0x64:
            return {"card.execution_error", "the card failed to execute the command"};
        case 0x65:
            return {"card.execution_error", "the card failed and its memory changed"};
        case 0x66:
            return {"card.security_error", "the card reported a security problem"};
        case 0x67:
            return {"card.wrong_length", "the card rejected the command length"};
        case 0x68:
            return {"card.cla_function_not_supported", "command class function unsupported"};
        case 0x69:
            return {"card.command_not_allowed", "the card does not allow the command"};
        case 0x6A:
            return {"card.wrong_parameters", "the card rejected the command parameters"};
        case 0x6B:
            return {"card.wrong_parameters", "the card rejected the command parameters"};
        case 0x6C:
            return {"card.wrong_le", "the card asked for a different response length"};
        case 0x6D:
            return {"card.ins_not_supported", "the card does not know the command"};
        case 0x6E:
            return {"card.cla_not_supported", "the card does not know the command class"};
        case 0x6F:
            return {"card.no_precise_diagnosis", "the card reported an internal error"};
        default:
            return {"card.unexpected_status", "the card answered with an unknown status"};
    }
}

const char* advice_for(std::string_view code) {
    if (code == "card.file_not_found" || code == "card.incompatible_file" ||
        code == "card.ins_not_supported" || code == "card.cla_not_supported" ||
        code == "card.security_not_satisfied" || code == "card.not_enough_memory" ||
        code == "card.function_not_supported" || code == "card.file_deactivated")
        return not_ballot;
    if (code == "card.memory_failure" || code == "card.file_filled_up")
        return "the card's memory is failing: put this card aside and use another card";
    return reinsert;
}

}  // namespace

error status_word_error(std::uint16_t sw, std::string_view operation) {
    meaning m = exact_meaning(sw);
    if (m.code == nullptr)
        m = class_meaning(sw);
    char hex[5];
    std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(sw));
    std::string message(operation);
    message += ": ";
    message += m.text;
    message += " (status ";
    message += hex;
    message += "); ";
    message += advice_for(m.code);
    return make_error(m.code, std::move(message));
}

status check_status_word(std::uint16_t sw, std::string_view operation) {
    if (sw == sw_success)
        return ok_status();
    return status_word_error(sw, operation);
}

}  // namespace ballotbox::cardio
