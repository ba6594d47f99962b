#include "appliance/style_match.h"

namespace ballotbox::appliance {

card_check match_style(const election::election_package& p,
                       const std::vector<cardio::race_slot>& slots) {
    for (const auto& slot : slots)
        if (slot.race >= p.ballots.size())
            return {refusal_reason::style_unknown, {}};
    for (const auto& style : p.styles) {
        if (style.ballots.size() != slots.size())
            continue;
        bool same = true;
        for (std::size_t i = 0; i < slots.size(); ++i)
            same = same && style.ballots[i] == slots[i].race;
        if (!same)
            continue;
        for (const auto& slot : slots)
            if (slot.option_count != p.ballots[slot.race].options.size())
                return {refusal_reason::choice_out_of_range, style.id};
        return {std::nullopt, style.id};
    }
    return {refusal_reason::style_unknown, {}};
}

}  // namespace ballotbox::appliance
