// audit: the auditor's one check of a polling station's ledger (docs/audit.md).
//
// run() re-derives every figure from the ledger file, the signed election package and the
// commission key, optionally against the exported protocol directory and a checkpoint
// obtained elsewhere (the one printed on the paper protocol). It opens the ledger strictly
// read-only (ledger::verify and ledger::open_read_only: SQLite's immutable URI) and never
// writes anything. The checks run in a fixed order and stop at the first failure, which is
// reported with its place and expected vs found; checks after it are listed as not run.
// A ledger without a closing entry and final checkpoint is "incomplete", never verified.
//
// Thread safety: run() uses its own connections and may be called from several threads on
// distinct inputs; it uses up to `threads` threads for the chain, its Merkle tree and the
// booth signatures.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_report.h"

namespace ballotbox::audit {

struct audit_inputs {
    std::filesystem::path ledger;
    std::filesystem::path package;
    std::filesystem::path commission_key;  // PEM (SPKI) of the territorial commission key
    std::optional<std::filesystem::path> protocol_dir;  // the export directory
    std::optional<std::filesystem::path> checkpoint;    // a signed checkpoint note file
    std::string qr_text;  // the protocol's QR code texts (BBP1:...), one per line; empty = none
    // The ledgers of the portable boxes this station imported (docs/portable-box.md): each is
    // checked as the import did and must be the one its portable_import event pins.
    std::vector<std::filesystem::path> portable_ledgers;
    unsigned threads = 2;  // threads for the chain, its Merkle tree and the booth signatures
    // The chain is cut into ranges, one per thread, only where each range holds at least
    // this many entries (ledger::verify_options); nullopt = verify's own. Tests set 1 to cut
    // a small ledger.
    std::optional<std::uint64_t> min_entries_per_range;
    // Called after each check finishes (passed or failed), in order, so a caller can print
    // the checks as they go.
    std::function<void(const check_line&)> on_check;
};

audit_report run(const audit_inputs& inputs);

}  // namespace ballotbox::audit
