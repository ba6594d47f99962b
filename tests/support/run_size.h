// run_size: how large a long test makes its run. The optimised pass runs it at full size
// (the 300-voter day through pcscd); the sanitizer pass of tools/test sets
// BALLOTBOX_SHORT_RUNS=1, and it runs the same code paths with fewer voters, so every test
// of the suite also runs under AddressSanitizer and UBSan without the sanitizer pass taking
// as long as the run itself (its floor is pcscd's reader polling, not the CPU).
//
// Pure function of the environment; thread-safe.
#pragma once

#include <cstdlib>
#include <string_view>

namespace ballotbox::test_support {

inline bool short_runs() {
    const char* v = std::getenv("BALLOTBOX_SHORT_RUNS");
    return v != nullptr && std::string_view(v) == "1";
}

// `full` normally, `small` when BALLOTBOX_SHORT_RUNS=1.
template <class T>
T run_size(T full, T small) {
    return short_runs() ? small : full;
}

}  // namespace ballotbox::test_support
