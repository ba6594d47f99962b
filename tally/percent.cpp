#include "tally/percent.h"

#include <cstdio>

namespace ballotbox::tally {

namespace {
constexpr std::int64_t max_operand = std::int64_t{1} << 40;
}

std::optional<std::int64_t> percent_basis_points(std::int64_t part, std::int64_t whole) {
    if (part < 0 || whole < 0 || part >= max_operand || whole >= max_operand)
        return std::nullopt;
    if (whole == 0)
        return 0;
    // part * 20000 < 2^55: no overflow.
    return (part * 20000 + whole) / (2 * whole);
}

std::string format_basis_points(std::int64_t basis_points) {
    const bool negative = basis_points < 0;
    const std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(basis_points)
                                     : static_cast<std::uint64_t>(basis_points);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%llu.%02llu", negative ? "-" : "",
                  static_cast<unsigned long long>(v / 100),
                  static_cast<unsigned long long>(v % 100));
    return buf;
}

std::string format_percent(std::int64_t part, std::int64_t whole) {
    auto bp = percent_basis_points(part, whole);
    return bp ? format_basis_points(*bp) : std::string("?");
}

}  // namespace ballotbox::tally
