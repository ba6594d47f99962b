#include "cardio/card_transport_faults.h"

namespace ballotbox::cardio {

result<bytes> fault_injecting_transport::transmit(byte_view command_apdu) {
    const std::size_t n = ++calls_;
    if (removed_before_ && n >= *removed_before_)
        return card_removed_error();
    if (removed_after_ && n > *removed_after_)
        return card_removed_error();
    if (auto it = failures_.find(n); it != failures_.end())
        return it->second;
    ++delivered_;
    auto answer = inner_.transmit(command_apdu);
    if (removed_after_ && n == *removed_after_)
        return card_removed_error();
    return answer;
}

}  // namespace ballotbox::cardio
