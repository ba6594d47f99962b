// verify: re-derives everything a ledger file claims, from the file alone.
//
// Checks, in this order, and stops at the first failure: the file is a ledger (application
// id, version), the schema is exactly version 1 (an extra table, index, view or trigger is
// tampering), the meta rows; then every entry in seq order: seq contiguous from 0, column
// types, prev_hash = previous entry_hash (zeros for genesis), entry_hash recomputed,
// known type, canonical JSON body, genesis only at 0 and well formed, cast and closing and
// rejected_card bodies well formed, every opening and turnout entry followed by its own
// checkpoint before any other entry but a restart, nothing after the closing entry but the final
// checkpoint; every stored checkpoint: a signed note that verifies with the genesis key
// under the genesis origin, for the genesis origin, its tree size equal to its row's and
// not beyond the chain, its root equal to the Merkle root of that many entries, its kind the
// one its last entry implies; at most one final checkpoint, covering the whole chain; the
// ballot box: row shapes, casts in the chain = ballots in the box (per source), and the
// closing entry's box root and size; and optionally an external trusted checkpoint (e.g.
// the one printed on the protocol), which catches a truncated or rewritten ledger, and a
// trusted appliance key.
//
// The outcome is complete only with a closing entry and a final checkpoint; a ledger that
// passes every check but is not closed is incomplete; anything wrong is failed, with the
// place (table and seq, checkpoint tree size or box key) and expected vs found.
//
// verify() opens the file read-only (ledger_file.h), only a regular file, and never writes
// it. Thread-safe as long as each call has its own connection.
//
// A big ledger opened by path is checked on several threads (verify_options::threads), each on
// its own read-only connection: the chain is cut into ranges of entries and the box into ranges
// of keys, a few per thread, and each thread takes the next range pair as soon as it is done
// with its last, so a core that starts late or runs slower takes fewer; the pieces are then
// joined in order (verify_entries.h). Only a ledger that passes is decided that way: if any
// piece finds anything wrong, the whole file is checked again in one pass, which reports the
// first failure exactly as the one-thread path always does. The report is the same whatever
// the thread count (tests/ledger/verify_ranges_test.cpp). The threads start before the
// caller's own connection is opened; a caller with other work first can start them earlier
// still (verify_helpers.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/ed25519.h"
#include "ledger/bodies.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/merkle_range.h"
#include "ledger/sqlite.h"

namespace ballotbox::ledger {

enum class verify_outcome { complete, incomplete, failed };

// One entry as verify() has just checked it (chain, hash, type, body), handed to
// verify_options::walk_entry. The views are valid only during the call.
struct verified_entry {
    std::uint64_t seq = 0;
    event_type type = event_type::genesis;
    std::string_view body;
    const crypto::digest& entry_hash;
    const crypto::digest& leaf_hash;  // its Merkle leaf
    const cast_body* cast = nullptr;  // set for every cast entry: its body as verify read it
};

struct verify_options {
    // A signed checkpoint obtained outside the file (the protocol's printed one).
    std::optional<std::string> trusted_checkpoint;
    // The appliance key known outside the file; genesis must pin this key.
    std::optional<crypto::ed25519_public_key> trusted_key;
    std::string vfs_name;  // empty = default VFS
    // For a caller that walks the chain too (the audit), so the file is read once.
    // begin_walk(ranges) comes before each pass over the chain: the pass is cut into that
    // many ranges of seq (1 for the one-pass check), numbered in seq order and covering the
    // chain from 0 without gaps. walk_entry(range, entry) then comes for every entry that
    // passed its checks, in seq order within its range, on that range's thread: the ranges
    // run at once, so the callback must keep each range's state apart. An entry that fails
    // is not passed, nor anything after it in its range. If a pass in ranges finds anything
    // wrong, the one-pass check follows with another begin_walk(1): whatever the earlier pass
    // gave is to be forgotten. Either may be empty.
    std::function<void(std::size_t ranges)> begin_walk;
    std::function<void(std::size_t range, const verified_entry&)> walk_entry;
    // Threads for verify(path): 0 = one per core (at most 8), 1 = the one-thread path. The
    // chain is split only when every thread can have at least min_entries_per_thread entries,
    // and never for verify_database(); no thread is started for entries the file's size
    // leaves no room for (each entry takes at least 64 bytes). It is then cut into up to
    // ranges_per_thread ranges per thread, on average at least min_entries_per_thread /
    // ranges_per_thread entries (and each at least one), larger first and smaller last
    // (verify_team.h's part_cuts), which the threads take in seq order.
    unsigned threads = 0;
    std::uint64_t min_entries_per_thread = 2048;
    unsigned ranges_per_thread = 4;
    // Also give the RFC 6962 consistency proof between each two successive checkpoints
    // (verify_report::checkpoint_list), built from the hashes the check computes anyway.
    bool consistency_proofs = false;
    // Leave every stored checkpoint's signature to the caller: each note is still parsed and
    // its origin, size, kind and root checked, but no Ed25519 verification is made (the
    // trusted checkpoint's still is). For a caller that verifies every stored note's
    // signature itself, as the audit does in its signature step with the other signatures;
    // until it has, an outcome other than failed says nothing about who signed the
    // checkpoints (verify_report::checkpoint_signatures_verified is false).
    bool leave_checkpoint_signatures_to_caller = false;
};

struct verify_report {
    verify_outcome outcome = verify_outcome::failed;
    std::optional<error> problem;  // set iff failed: code and message
    // Where: "file", "schema", "meta", "entries", "checkpoints", "ballots",
    // "trusted_checkpoint"; empty when nothing failed.
    std::string table;
    std::optional<std::uint64_t> seq;              // the failing entry, when one is to blame
    std::optional<std::uint64_t> checkpoint_size;  // the failing checkpoint row
    std::string expected;
    std::string found;

    std::uint64_t entries = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t casts = 0;
    std::uint64_t ballots = 0;
    std::optional<crypto::digest> root;      // Merkle root of all entries
    std::optional<crypto::digest> box_root;  // recomputed over the box in key order
    std::optional<checkpoint> final_checkpoint;
    // How many threads were set to take ranges, and how many ranges of the chain the verdict
    // was reached on: 1 and 1 = the one-pass check. A thread whose connection failed, or that
    // came late, may have taken none of the ranges (the others take them).
    unsigned threads = 1;
    unsigned ranges = 1;
    // Where the chain ends, for a ledger opened on this file to go on from without reading
    // it again (ledger::open): the compact Merkle range of every entry, the last entry's hash
    // and type, the genesis as verified, and how far the checkpoints reach (the largest tree
    // size signed, 0 for none; whether a final one is among them). Set whenever the outcome
    // is not failed.
    struct chain_end {
        merkle_range tree;
        crypto::digest head{};
        event_type last_type = event_type::genesis;
        genesis_info genesis;
        std::uint64_t signed_size = 0;
        bool finalized = false;
    };
    std::optional<chain_end> end;
    // Every stored checkpoint as verified (note, signature, origin, size, root, kind), in
    // tree-size order; set whenever the outcome is not failed. With
    // verify_options::consistency_proofs, each after the first carries the consistency proof
    // from the one before it.
    struct verified_checkpoint {
        checkpoint signed_checkpoint;
        std::vector<crypto::digest> proof_from_previous;
    };
    std::vector<verified_checkpoint> checkpoint_list;
    // False iff verify_options::leave_checkpoint_signatures_to_caller was set.
    bool checkpoint_signatures_verified = true;

    bool complete() const { return outcome == verify_outcome::complete; }
    // One paragraph for the auditor: the outcome, the place, expected vs found, the counts.
    std::string summary() const;
};

verify_report verify(const std::filesystem::path& path, const verify_options& options = {});

class verify_helpers;

// As verify(path), the first range on the caller's connection `db`, opened on `path` for
// reading (ledger_file.h) and left open (ledger::open_read_only reads on from it), its page
// cache set as small as verify's own connections' (each page is read once); more ranges
// run on the threads of `helpers` when given and started for this path (verify_helpers.h),
// else on threads started here, each on its own connection to `path`.
verify_report verify_file(sqlite::database& db, const std::filesystem::path& path,
                          const verify_options& options, verify_helpers* helpers = nullptr);

// The same checks over an open connection (ledger::open uses it on its own connection).
verify_report verify_database(sqlite::database& db, const verify_options& options);

}  // namespace ballotbox::ledger
