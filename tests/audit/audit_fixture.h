// The audit tests' poll day: a real ledger made by the poll-day core (appliance/poll_day.h)
// with in-process cards (cardsim's card model), a manual clock and a seeded random source,
// closed with its final checkpoint; the protocol export written as the contract says; and
// helpers that tamper with a copy of the ledger file through raw SQLite.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "appliance/poll_day.h"
#include "audit/audit.h"
#include "common/clock.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "protocol/protocol_document.h"

namespace ballotbox::audit::testing {

// Runs the audit with the chain walked in one pass (one thread for the chain), then again
// with it cut into `ranges` ranges on as many threads, checks the two reports agree (every
// check's state and detail but the thread count of the booth signatures, the first failure,
// the counts) and returns the first.
audit_report run_both(audit_inputs inputs, unsigned ranges = 3);

struct day_options {
    int voters = 40;
    int cancels = 3;
    int outstanding = 1;  // issued, never returned
    bool close = true;
    std::uint64_t seed = 7;
};

// A fresh directory under the system temp dir, removed with everything in it.
class scratch_dir {
  public:
    scratch_dir();
    ~scratch_dir();
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

struct audit_day {
    scratch_dir dir;
    crypto::seeded_random random;
    manual_clock clock;
    std::optional<crypto::ed25519_private_key> commission;
    std::vector<crypto::ed25519_private_key> booths;
    std::string package_text;
    std::optional<appliance::poll_day> day;

    explicit audit_day(const day_options& options = {});
    std::filesystem::path state() const { return dir.path() / "state"; }
    std::filesystem::path ledger_path() const { return state() / "ledger.sqlite"; }
    std::filesystem::path package_path() const { return dir.path() / "package.json"; }
    std::filesystem::path commission_path() const { return dir.path() / "commission.pem"; }
    crypto::ed25519_private_key appliance_key() const;
    // Writes the protocol export of the closed ledger with the protocol module's own writer,
    // after `edit` (if any) changed the document: a forger holding the appliance key.
    std::filesystem::path export_protocol(
        const std::string& name = "export",
        const std::function<void(protocol::protocol_document&)>& edit = {}) const;
    // The QR texts of the (edited) result, one per line.
    std::string qr_text(const std::function<void(protocol::protocol_document&)>& edit = {}) const;
    audit_inputs inputs(const std::filesystem::path& ledger) const;
    audit_inputs inputs() const { return inputs(ledger_path()); }
};

// A copy of the file (and nothing else) under a new name in the same directory.
std::filesystem::path copy_ledger(const std::filesystem::path& from, const std::string& name);
// Runs SQL on the file with a plain read-write connection (then checkpoints the WAL away).
void run_sql(const std::filesystem::path& ledger, const std::string& sql);
// Recomputes every entry's prev_hash and entry_hash from seq 0 (a forger without the key).
void rechain(const std::filesystem::path& ledger);
// What an insider holding the appliance key could do after changing ballots or bodies: put the
// box root and size into the closing entry, re-chain, and re-sign every checkpoint.
void reseal(const std::filesystem::path& ledger, const crypto::ed25519_private_key& appliance_key);
// Replaces the body of entry seq by `body` (canonical JSON text).
void set_body(const std::filesystem::path& ledger, std::uint64_t seq, const std::string& body);
std::string body_of(const std::filesystem::path& ledger, std::uint64_t seq);
// The seqs of the entries of one type, in order.
std::vector<std::uint64_t> seqs_of(const std::filesystem::path& ledger, int type);
std::string read_text(const std::filesystem::path& p);
void write_text(const std::filesystem::path& p, const std::string& text);
// Every table's rows, the schema and the ids, as text: the logical content of a ledger file
// (not SQLite's own bookkeeping: free-space lists, page slack).
std::string logical_content(const std::filesystem::path& ledger);

}  // namespace ballotbox::audit::testing
