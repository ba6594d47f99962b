#include "tests/ledger/verify_both.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "common/bytes.h"

namespace ballotbox::test_support {

void check_same_report(const ledger::verify_report& one_pass, const ledger::verify_report& other) {
    INFO("one pass: " << one_pass.summary());
    INFO("in ranges: " << other.summary());
    CHECK(other.outcome == one_pass.outcome);
    CHECK(other.table == one_pass.table);
    CHECK(other.seq == one_pass.seq);
    CHECK(other.checkpoint_size == one_pass.checkpoint_size);
    CHECK(other.problem.has_value() == one_pass.problem.has_value());
    if (other.problem && one_pass.problem) {
        CHECK(other.problem->code == one_pass.problem->code);
        CHECK(other.problem->message == one_pass.problem->message);
    }
    CHECK(other.expected == one_pass.expected);
    CHECK(other.found == one_pass.found);
    CHECK(other.entries == one_pass.entries);
    CHECK(other.checkpoints == one_pass.checkpoints);
    CHECK(other.casts == one_pass.casts);
    CHECK(other.ballots == one_pass.ballots);
    CHECK(other.root == one_pass.root);
    CHECK(other.box_root == one_pass.box_root);
    CHECK(other.checkpoint_signatures_verified == one_pass.checkpoint_signatures_verified);
    CHECK(other.final_checkpoint.has_value() == one_pass.final_checkpoint.has_value());
    if (other.final_checkpoint && one_pass.final_checkpoint) {
        CHECK(other.final_checkpoint->tree_size == one_pass.final_checkpoint->tree_size);
        CHECK(other.final_checkpoint->root == one_pass.final_checkpoint->root);
    }
    REQUIRE(other.checkpoint_list.size() == one_pass.checkpoint_list.size());
    for (std::size_t i = 0; i < other.checkpoint_list.size(); ++i) {
        const auto& a = other.checkpoint_list[i];
        const auto& b = one_pass.checkpoint_list[i];
        CAPTURE(i);
        CHECK(a.signed_checkpoint.tree_size == b.signed_checkpoint.tree_size);
        CHECK(a.signed_checkpoint.root == b.signed_checkpoint.root);
        CHECK(a.proof_from_previous == b.proof_from_previous);
    }
}

ledger::verify_report verify_both(const std::filesystem::path& file, ledger::verify_options options,
                                  unsigned threads) {
    options.threads = 1;
    auto one_pass = ledger::verify(file, options);
    CHECK(one_pass.threads == 1);
    CHECK(one_pass.ranges == 1);
    options.threads = threads;
    options.min_entries_per_thread = 1;
    auto in_ranges = ledger::verify(file, options);
    check_same_report(one_pass, in_ranges);
    // A verdict other than "failed" must have come from the ranges themselves, or the
    // comparison above proved nothing about them.
    if (one_pass.outcome != ledger::verify_outcome::failed && one_pass.entries >= threads) {
        CHECK(in_ranges.threads == threads);
        const std::uint64_t per_thread = std::max(options.ranges_per_thread, 1u);
        CHECK(in_ranges.ranges == std::min<std::uint64_t>(threads * per_thread, one_pass.entries));
    }
    return one_pass;
}

}  // namespace ballotbox::test_support
