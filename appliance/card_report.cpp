#include "appliance/card_report.h"

#include <array>

namespace ballotbox::appliance {

std::string_view card_outcome_name(card_outcome outcome) {
    static constexpr std::array<std::string_view, 6> names = {
        "issued", "accepted", "already_recorded", "not_voted_yet", "cancelled", "refused"};
    return names[static_cast<std::size_t>(outcome)];
}

}  // namespace ballotbox::appliance
