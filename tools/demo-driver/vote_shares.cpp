#include "tools/demo-driver/vote_shares.h"

#include <numeric>

namespace ballotbox::demo {

race_weights party_list_weights() {
    // The template's ballot order: amanat, auyl, respublica, qhp, baytaq, aq-jol, jsdp.
    return {{3431510, 693938, 547154, 432920, 146431, 535139, 331058,
             /*against all*/ 248291, /*blank*/ 158046}};
}

race_weights district_weights(std::uint8_t option_count) {
    race_weights w;
    if (option_count < 2) {
        w.weights.assign(option_count + 2u, 1);
        return w;
    }
    w.weights = {4703, 1120};  // basis points, official district-1 shares
    const std::uint64_t rest = 10000 - 4703 - 1120;
    const std::uint64_t slots = (option_count - 2u) + 2u;  // numbered + against all + blank
    for (std::uint64_t i = 0; i < slots; ++i)
        w.weights.push_back(rest / slots + (i < rest % slots ? 1 : 0));
    return w;
}

race_weights weights_for(const cardio::race_slot& slot) {
    if (slot.race == 0 && slot.option_count == 7)
        return party_list_weights();
    if (slot.race == 1)
        return district_weights(slot.option_count);
    return {std::vector<std::uint64_t>(slot.option_count + 2u, 1)};
}

cardio::ballot_choice draw(crypto::seeded_random& random, const race_weights& w) {
    const auto total = std::accumulate(w.weights.begin(), w.weights.end(), std::uint64_t{0});
    auto pick = random.uniform(total);
    const std::size_t options = w.weights.size() - 2;
    for (std::size_t i = 0; i < w.weights.size(); ++i) {
        if (pick < w.weights[i]) {
            if (i < options)
                return cardio::ballot_choice::for_option(static_cast<std::uint8_t>(i));
            return i == options ? cardio::ballot_choice::against_all()
                                : cardio::ballot_choice::left_blank();
        }
        pick -= w.weights[i];
    }
    return cardio::ballot_choice::left_blank();
}

std::string describe(const cardio::ballot_choice& c) {
    switch (c.kind) {
        case cardio::choice_kind::option:
            return std::to_string(c.option);
        case cardio::choice_kind::against_all:
            return "against-all";
        default:
            return "blank";
    }
}

}  // namespace ballotbox::demo
