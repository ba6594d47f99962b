#include "ledger/cast_window.h"

#include <algorithm>

namespace ballotbox::ledger {
namespace {

std::int64_t floor_seconds(time_point t) {
    return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

}  // namespace

result<cast_window> cast_window::fixed(time_point origin, std::chrono::seconds length) {
    if (length.count() < 1)
        return make_error("ledger.bad_cast_window", "a cast window must last at least a second");
    cast_window w;
    w.origin_ = floor_seconds(origin);
    w.length_ = length.count();
    return w;
}

result<cast_window> cast_window::from_boundaries(std::vector<time_point> boundaries) {
    if (boundaries.empty())
        return make_error("ledger.bad_cast_window", "no cast window boundaries given");
    cast_window w;
    for (auto t : boundaries) {
        auto s = floor_seconds(t);
        if (s <= 0 || (!w.boundaries_.empty() && s <= w.boundaries_.back()))
            return make_error("ledger.bad_cast_window",
                              "cast window boundaries must be after 1970 and strictly "
                              "increasing, at least a second apart");
        w.boundaries_.push_back(s);
    }
    return w;
}

std::int64_t cast_window::window_start(time_point t) const {
    auto s = floor_seconds(t);
    if (boundaries_.empty())
        return origin_ + floor_div(s - origin_, length_) * length_;
    auto it = std::upper_bound(boundaries_.begin(), boundaries_.end(), s);
    if (it == boundaries_.begin())
        return 0;
    return *std::prev(it);
}

bool cast_window::is_window_start(std::int64_t s) const {
    if (boundaries_.empty())
        return (s - origin_) % length_ == 0;
    return s == 0 || std::binary_search(boundaries_.begin(), boundaries_.end(), s);
}

}  // namespace ballotbox::ledger
