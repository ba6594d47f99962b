#include "appliance/poll_state.h"

#include <array>

namespace ballotbox::appliance {
namespace {
constexpr std::array<std::string_view, 5> names = {"unconfigured", "set_up", "open", "closing",
                                                   "closed"};
}

std::string_view poll_state_name(poll_state state) {
    return names[static_cast<std::size_t>(state)];
}

std::optional<poll_state> poll_state_from_name(std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name)
            return static_cast<poll_state>(i);
    return std::nullopt;
}

}  // namespace ballotbox::appliance
