#include "ledger/stored_checkpoint.h"

namespace ballotbox::ledger {

std::optional<checkpoint_kind> checkpoint_kind_from_code(std::int64_t code) {
    if (code < 0 || code > 3)
        return std::nullopt;
    return static_cast<checkpoint_kind>(code);
}

std::string_view checkpoint_kind_name(checkpoint_kind kind) {
    switch (kind) {
        case checkpoint_kind::opening:
            return "opening";
        case checkpoint_kind::turnout:
            return "turnout";
        case checkpoint_kind::final:
            return "final";
        case checkpoint_kind::other:
            return "other";
    }
    return "unknown";
}

checkpoint_kind checkpoint_kind_after(event_type last_entry_type) {
    switch (last_entry_type) {
        case event_type::opening:
            return checkpoint_kind::opening;
        case event_type::turnout:
            return checkpoint_kind::turnout;
        case event_type::closing:
            return checkpoint_kind::final;
        default:
            return checkpoint_kind::other;
    }
}

}  // namespace ballotbox::ledger
