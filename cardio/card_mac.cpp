#include "cardio/card_mac.h"

#include <string_view>

#include "cardio/card_fields.h"
#include "crypto/hmac.h"

namespace ballotbox::cardio {
namespace {

constexpr std::string_view mac_domain = "ballotbox/card-issue-mac/v1";

status check_key_size(byte_view key) {
    if (key.size() < min_issue_mac_key_size)
        return make_error("card.bad_mac_key", "The appliance's card MAC key is " +
                                                  std::to_string(key.size()) + " bytes; at least " +
                                                  std::to_string(min_issue_mac_key_size) +
                                                  " are required. Reinstall the appliance's keys.");
    return ok_status();
}

result<bytes> mac_input(const issue_data& issue) {
    BALLOTBOX_TRY(check_issue_data(issue));
    bytes input = to_bytes(mac_domain);
    input.push_back(card_record_version);
    encode_issue_data(input, issue);
    return input;
}

}  // namespace

result<crypto::digest> compute_issue_mac(byte_view key, const issue_data& issue) {
    BALLOTBOX_TRY(check_key_size(key));
    auto input = mac_input(issue);
    if (!input)
        return input.err();
    return crypto::hmac_sha256(key, *input);
}

result<issued_card> make_issued_card(byte_view key, const issue_data& issue) {
    auto mac = compute_issue_mac(key, issue);
    if (!mac)
        return mac.err();
    return issued_card{issue, *mac};
}

status verify_issue_mac(byte_view key, const issued_card& card) {
    auto prepared = issue_mac_key::prepare(key);
    if (!prepared)
        return prepared.err();
    return prepared->verify(card);
}

result<issue_mac_key> issue_mac_key::prepare(byte_view key) {
    BALLOTBOX_TRY(check_key_size(key));
    return issue_mac_key(key);
}

status issue_mac_key::verify(const issued_card& card) {
    auto input = mac_input(card.issue);
    if (!input)
        return input.err();
    if (!key_.verify(*input, card.mac))
        return make_error("card.mac_mismatch",
                          "The card's activation was not made by this ballot box (or was altered "
                          "after it was issued). Do not accept the ballot; call the chair.");
    return ok_status();
}

}  // namespace ballotbox::cardio
