#include "tools/cardsim/vpcd.h"

namespace ballotbox::cardsim::vpcd {

std::optional<bytes> frame(byte_view payload) {
    if (payload.size() > max_message)
        return std::nullopt;
    bytes out;
    out.reserve(payload.size() + 2);
    out.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(payload.size() & 0xFF));
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

}  // namespace ballotbox::cardsim::vpcd
