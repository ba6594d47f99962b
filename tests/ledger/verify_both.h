// verify_both: verifies a ledger file in one pass and again in ranges on several threads
// (ranges as small as one entry, so even a small test ledger is cut many ways), checks that
// the two reports are the same in every field an auditor reads, and returns the one-pass one.
// Used by the tamper tests, so every tampering is also tried against the joined ranges.
#pragma once

#include <filesystem>

#include "ledger/verify.h"

namespace ballotbox::test_support {

// The fields of two reports that must agree, checked with doctest (CHECK), each named.
void check_same_report(const ledger::verify_report& one_pass, const ledger::verify_report& other);

// `threads` threads (2 or more), with ranges as small as one entry, options.ranges_per_thread
// of them per thread; options as verify() takes them.
ledger::verify_report verify_both(const std::filesystem::path& file,
                                  ledger::verify_options options = {}, unsigned threads = 3);

}  // namespace ballotbox::test_support
