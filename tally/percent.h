// Percentages as the Central Election Commission publishes them: two decimals.
//
// The share part/whole is computed exactly with integers and rounded half up to hundredths
// of a per cent (basis points): bp = floor((part * 10000 * 2 + whole) / (2 * whole)). So
// 3,431,510 / 6,366,441 = 53.8998...% gives 5390, printed "53.90". A whole of 0 gives 0.
// Inputs must be 0 <= part, 0 <= whole and part, whole < 2^40 (checked: out of range gives
// nullopt). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ballotbox::tally {

std::optional<std::int64_t> percent_basis_points(std::int64_t part, std::int64_t whole);

// "53.90" for 5390; "100.00" for 10000; "0.05" for 5.
std::string format_basis_points(std::int64_t basis_points);

// format_basis_points(percent_basis_points(part, whole)), "?" when out of range.
std::string format_percent(std::int64_t part, std::int64_t whole);

}  // namespace ballotbox::tally
