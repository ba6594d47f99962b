#include "appliance/daemon/table_readers.h"

#include <algorithm>

namespace ballotbox::daemon {

namespace {

error no_card(const std::string& where) {
    return make_error("daemon.no_card", "there is no card in " + where +
                                            ": put the card to cancel back in the reader, "
                                            "then cancel");
}

}  // namespace

bool table_readers::wanted(const std::string& name) const {
    if (patterns_.empty())
        return readers_.empty();
    return std::any_of(patterns_.begin(), patterns_.end(),
                       [&](const std::string& p) { return name.find(p) != std::string::npos; });
}

bool table_readers::reader_added(const std::string& name) {
    if (find(name) != nullptr)
        return true;
    if (!wanted(name))
        return false;
    readers_.push_back({name, false});
    return true;
}

bool table_readers::reader_gone(const std::string& name) {
    const auto it = std::find_if(readers_.begin(), readers_.end(),
                                 [&](const table_reader_state& r) { return r.name == name; });
    if (it == readers_.end())
        return false;
    readers_.erase(it);
    return true;
}

table_reader_state* table_readers::find(const std::string& name) {
    for (auto& r : readers_)
        if (r.name == name)
            return &r;
    return nullptr;
}

bool table_readers::any_card_present() const {
    return std::any_of(readers_.begin(), readers_.end(),
                       [](const table_reader_state& r) { return r.card_present; });
}

result<const table_reader_state*> table_readers::find_for_cancel(
    const std::optional<std::string>& named) const {
    if (named) {
        const table_reader_state* match = nullptr;
        std::size_t matches = 0;
        for (const auto& r : readers_) {
            if (r.name == *named) {
                match = &r;
                matches = 1;
                break;
            }
            if (r.name.find(*named) != std::string::npos) {
                match = &r;
                ++matches;
            }
        }
        if (matches == 0)
            return make_error("daemon.unknown_reader",
                              "no table reader is called \"" + named->substr(0, 80) +
                                  "\": name one of the table readers the status lists");
        if (matches > 1)
            return make_error("daemon.ambiguous_reader",
                              "\"" + named->substr(0, 80) +
                                  "\" is part of the names of several table readers: give the "
                                  "reader's full name");
        if (!match->card_present)
            return no_card("the table reader " + match->name);
        return match;
    }
    const table_reader_state* holding = nullptr;
    std::size_t count = 0;
    for (const auto& r : readers_)
        if (r.card_present) {
            holding = &r;
            ++count;
        }
    if (count == 0)
        return no_card("the table reader");
    if (count > 1)
        return make_error("daemon.which_reader",
                          "cards are in " + std::to_string(count) +
                              " table readers: say which reader's card to cancel (the "
                              "\"reader\" of the cancel request)");
    return holding;
}

}  // namespace ballotbox::daemon
