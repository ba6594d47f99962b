// verify_entries: the checks verify() makes entry by entry (listed in verify.h), over one
// range of sequence numbers, so that a big ledger can be checked in ranges, each on its own
// thread and connection, and the ranges joined.
//
// A range that starts at 0 checks everything as it goes: genesis, each stored checkpoint as
// soon as the chain reaches its tree size (against the Merkle root of that prefix), and the
// trusted checkpoint. Alone over the whole chain it is verify()'s one-thread path and stops at
// the first failure in the order verify.h gives.
// A range that starts later does not know the root of the entries before it. Told genesis's
// origin and key (assume_genesis, read ahead by the caller; range 0 still checks genesis
// itself), it checks each checkpoint's note and signature as it meets it and keeps a snapshot
// (the compact range of its entries so far and the type of the entry the checkpoint follows);
// join() checks the root and kind of those checkpoints once every range before it is joined. join()
// also checks what crosses the cut: the chain link, an entry after a closing, an opening or turnout
// entry whose checkpoint never came.
//
// Failures go into the verify_report given to the constructor. For one range from 0 alone
// that report is verify()'s answer. When ranges are joined, a failure anywhere only means
// "not verified this way": verify() then checks the whole chain as one range, which names the
// first failure exactly as the one-thread path does.
//
// Not thread-safe: a range is run on one thread, and joined on one (after its run returned).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/bodies.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle_range.h"
#include "ledger/statement_cache.h"
#include "ledger/verify.h"

namespace ballotbox::ledger {

struct checkpoint_row {
    std::uint64_t tree_size = 0;
    std::int64_t kind = 0;
    std::string note;
};

// Fills `r` as a failure and returns false (so checks can `return fail(...)`).
bool fail_report(verify_report& r, std::string table, std::string code, std::string message,
                 std::optional<std::uint64_t> seq = {}, std::string expected = {},
                 std::string found = {});
bool fail_checkpoint_report(verify_report& r, std::uint64_t size, std::string code,
                            std::string what, std::string expected = {}, std::string found = {});

// Aligned to a cache line: the ranges of one verification sit side by side in a vector while
// their threads run them, and each range writes its own members at every entry.
class alignas(64) entry_range {
  public:
    // Entries with begin <= seq < end. `checkpoints` is read from run() on (it may still be
    // filled in between). Without an end, every row of the table from the first
    // (seq below 0 too): the one-thread path. trusted_size: where the trusted checkpoint (if
    // any) claims to end, so a later range keeps a snapshot there.
    entry_range(const verify_options& options, const std::vector<checkpoint_row>& checkpoints,
                verify_report& report, std::uint64_t begin, std::optional<std::uint64_t> end,
                std::optional<std::uint64_t> trusted_size);

    // For a range after the first, before run(): the origin and key genesis pins.
    void assume_genesis(std::string origin, note_verifier verifier);
    // Before run(): the index this range's entries are handed to options.walk_entry with
    // (0 unless set).
    void set_walk_index(std::size_t index) { walk_index_ = index; }

    // Reads the range's rows with the statement `statements` holds for its query (one of
    // three: the whole table, from the start, between two seqs).
    bool run(sqlite::statement_cache& statements);
    // Appends `next`, which starts where this range ends, after both have run. Only on a range
    // that starts at 0.
    bool join(const entry_range& next);
    // The checks at the end of the chain, once every range is joined: at least genesis, no
    // checkpoint beyond the chain, the chain not shorter than the trusted checkpoint.
    bool finish();

    const std::array<std::uint64_t, 2>& casts_by_source() const { return casts_by_source_; }
    const std::optional<closing_body>& closing() const { return closing_; }
    std::optional<std::uint64_t> closing_seq() const { return closing_seq_; }
    // Where the range (joined with every later one) ends: its tree, last hash and type.
    // (Its checkpoint fields are left to the caller: verify.cpp.)
    verify_report::chain_end end_state() const {
        return {tree_, prev_, last_type_, genesis_.value_or(genesis_info{}), 0, false};
    }
    // The checkpoints verified so far, with the consistency proofs between them when
    // options.consistency_proofs (for a range from 0, after finish()).
    std::vector<verify_report::verified_checkpoint> checkpoint_list() const;

  private:
    struct snapshot {
        std::size_t checkpoint_index;  // into checkpoints_, or trusted_snapshot
        event_type last_type;
        merkle_range tree;
        std::optional<checkpoint> signed_checkpoint;  // its note, checked but for root and kind
    };
    static constexpr std::size_t trusted_snapshot = static_cast<std::size_t>(-1);

    bool fail_entry(std::uint64_t seq, std::string code, std::string what, std::string expected,
                    std::string found);
    bool check_row(sqlite::statement& st);
    bool check_genesis(std::string_view body);
    bool check_checkpoint(const checkpoint_row& row, event_type last_type, const digest& root);
    // The parts of check_checkpoint, in its order: the note (parse, origin, signature, size),
    // then the root and the kind.
    std::optional<checkpoint> check_checkpoint_note(const checkpoint_row& row);
    bool check_checkpoint_root_and_kind(const checkpoint_row& row, const checkpoint& cp,
                                        event_type last_type, const digest& root);
    bool check_trusted_root(const merkle_range& tree);
    bool check_body(std::uint64_t seq, event_type type, std::string_view body);
    void count_cast(const cast_body& c);

    const verify_options& options_;
    const std::vector<checkpoint_row>& checkpoints_;
    verify_report& r_;
    std::uint64_t begin_;
    std::optional<std::uint64_t> end_;
    std::optional<std::uint64_t> trusted_size_;

    std::uint64_t expected_;  // the next seq
    std::size_t next_cp_ = 0;
    merkle_range tree_;
    crypto::digest prev_{};
    crypto::digest first_prev_{};  // the first entry's prev_hash (checked by join)
    std::optional<event_type> first_type_;
    event_type last_type_ = event_type::genesis;
    std::size_t walk_index_ = 0;
    crypto::sha256_hasher hasher_;  // reused for every entry hash
    bool awaiting_ = false;         // the last opening/turnout entry has no checkpoint yet
    std::uint64_t awaiting_checkpoint_ = 0;
    std::uint32_t awaiting_type_ = 0;
    std::vector<snapshot> snapshots_;
    // With options.consistency_proofs: the range's tree cut at every checkpoint size met (the
    // first from begin, each next from a checkpoint's size), fed as followers of tree_.
    std::vector<merkle_range> segments_;
    std::vector<checkpoint> verified_;  // range 0: every checkpoint verified, in order

    std::optional<genesis_info> genesis_;  // range 0, once it has checked genesis
    std::string origin_;
    std::optional<note_verifier> note_verifier_;
    std::optional<checkpoint> trusted_;
    std::optional<std::uint64_t> closing_seq_;
    std::optional<closing_body> closing_;
    std::array<std::uint64_t, 2> casts_by_source_{};
    cast_body last_cast_;  // the last cast entry's body, for walk_entry
};

}  // namespace ballotbox::ledger
