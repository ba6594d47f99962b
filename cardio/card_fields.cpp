#include "cardio/card_fields.h"

namespace ballotbox::cardio {

status check_station_id(std::string_view station_id) {
    auto bad = [&](const std::string& why) {
        return make_error("card.bad_station_id",
                          "The card names a polling station in a form this ballot box does not "
                          "accept (" +
                              why + "). Use a card issued at this polling station.");
    };
    if (station_id.empty() || station_id.size() > max_station_id_length)
        return bad("length " + std::to_string(station_id.size()) + ", 1 to " +
                   std::to_string(max_station_id_length) + " allowed");
    for (char c : station_id) {
        bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                  c == '.' || c == '_' || c == '/' || c == '-';
        if (!ok)
            return bad("character code " +
                       std::to_string(static_cast<unsigned>(static_cast<unsigned char>(c))));
    }
    return ok_status();
}

error bad_style(const std::string& why) {
    return make_error("card.bad_style", "The card's ballot style is not valid: " + why +
                                            ". Set the card aside and call the chair.");
}

status check_style(const std::vector<race_slot>& style) {
    if (style.empty() || style.size() > max_races)
        return bad_style("it carries " + std::to_string(style.size()) + " races (1 to " +
                         std::to_string(max_races) + " allowed)");
    for (std::size_t i = 0; i < style.size(); ++i) {
        if (style[i].race >= max_races)
            return bad_style("race number " + std::to_string(style[i].race) + " is too large");
        if (i > 0 && style[i].race <= style[i - 1].race)
            return bad_style("races are not in strictly ascending order");
        if (style[i].option_count == 0)
            return bad_style("race " + std::to_string(style[i].race) + " has no options");
    }
    return ok_status();
}

status check_choices(const std::vector<race_slot>& style,
                     const std::vector<ballot_choice>& choices) {
    if (choices.size() != style.size())
        return make_error("card.choice_count_mismatch",
                          "The card carries " + std::to_string(style.size()) +
                              " ballots but the record holds " + std::to_string(choices.size()) +
                              " choices.");
    for (std::size_t i = 0; i < choices.size(); ++i) {
        auto race = std::to_string(style[i].race);
        switch (choices[i].kind) {
            case choice_kind::option:
                if (choices[i].option >= style[i].option_count)
                    return make_error("card.choice_out_of_range",
                                      "The choice on race " + race + " is option " +
                                          std::to_string(choices[i].option) +
                                          " but the ballot has only " +
                                          std::to_string(style[i].option_count) +
                                          " options. Set the card aside and call the chair.");
                break;
            case choice_kind::against_all:
            case choice_kind::blank:
                if (choices[i].option != 0)
                    return make_error("card.bad_choice",
                                      "The choice on race " + race +
                                          " is not encoded canonically. Set the card aside and "
                                          "call the chair.");
                break;
            default:
                return make_error("card.bad_choice",
                                  "The choice on race " + race + " has an unknown kind (" +
                                      std::to_string(static_cast<unsigned>(choices[i].kind)) +
                                      "). Set the card aside and call the chair.");
        }
    }
    return ok_status();
}

status check_issue_data(const issue_data& issue) {
    BALLOTBOX_TRY(check_station_id(issue.station_id));
    return check_style(issue.style);
}

void encode_issue_data(bytes& out, const issue_data& issue) {
    out.insert(out.end(), issue.election_id.begin(), issue.election_id.end());
    out.push_back(static_cast<std::uint8_t>(issue.station_id.size()));
    auto station = as_bytes(issue.station_id);
    out.insert(out.end(), station.begin(), station.end());
    out.push_back(static_cast<std::uint8_t>(issue.style.size()));
    for (const auto& slot : issue.style) {
        out.push_back(slot.race);
        out.push_back(slot.option_count);
    }
    out.insert(out.end(), issue.token.begin(), issue.token.end());
}

}  // namespace ballotbox::cardio
