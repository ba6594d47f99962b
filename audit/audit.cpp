#include "audit/audit.h"

#include <fstream>
#include <sstream>

#include "audit/audit_context.h"
#include "audit/chain_walk.h"
#include "common/read_file.h"
#include "election/signed_package.h"
#include "ledger/verify_helpers.h"

namespace ballotbox::audit {
namespace detail {

problem tampered(std::string check, std::string place, std::string message, std::string expected,
                 std::string found, std::optional<std::uint64_t> seq) {
    problem p;
    p.kind = outcome::tampered;
    p.where =
        failure{std::move(check),    "audit.mismatch", std::move(message), std::move(place), seq,
                std::move(expected), std::move(found)};
    return p;
}

problem unusable(std::string check, std::string place, std::string message) {
    problem p;
    p.kind = outcome::unusable;
    p.where = failure{std::move(check),
                      "audit.unusable_input",
                      std::move(message),
                      std::move(place),
                      std::nullopt,
                      {},
                      {}};
    return p;
}

std::string entry_place(std::uint64_t seq) {
    return "entry " + std::to_string(seq);
}

void context::step(std::string id, std::string title,
                   const std::function<step_result(std::string&)>& check) {
    check_line line{std::move(id), std::move(title), check_state::not_run, {}};
    if (stopped) {
        line.detail = "not run: an earlier check failed";
        report.checks.push_back(line);
        return;
    }
    auto p = check(line.detail);
    if (p) {
        line.state = check_state::failed;
        if (p->where.check.empty())
            p->where.check = line.id;
        if (line.detail.empty())
            line.detail = p->where.message;
        report.first_failure = p->where;
        report.result = p->kind;
        stopped = true;
    } else {
        line.state = check_state::passed;
    }
    report.checks.push_back(line);
    if (in.on_check)
        in.on_check(report.checks.back());
}

void context::skip(std::string id, std::string title, std::string why) {
    check_line line{std::move(id), std::move(title), check_state::not_run,
                    stopped ? "not run: an earlier check failed" : std::move(why)};
    report.checks.push_back(line);
    if (in.on_check && !stopped)
        in.on_check(report.checks.back());
}

namespace {

bool is_signature_problem(const std::string& code) {
    return code == "election.bad_signature" || code == "election.wrong_signer" ||
           code == "election.unsigned";
}

step_result check_inputs(context& c, std::string& detail) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(c.in.ledger, ec))
        return unusable(
            "inputs", "file " + c.in.ledger.string(),
            "The ledger file " + c.in.ledger.string() + " does not exist or is not a file.");
    auto package = read_small_file(c.in.package, 16 << 20);
    if (!package)
        return unusable("inputs", "file " + c.in.package.string(), package.err().message);
    c.package_text = *package;
    auto key_text = read_small_file(c.in.commission_key, 64 << 10);
    if (!key_text)
        return unusable("inputs", "file " + c.in.commission_key.string(), key_text.err().message);
    auto key = crypto::ed25519_public_key::from_pem(*key_text);
    if (!key)
        return unusable("inputs", "file " + c.in.commission_key.string(),
                        "The commission key " + c.in.commission_key.string() +
                            " is not an Ed25519 public key in PEM form (" + key.err().message +
                            ").");
    c.commission = *key;
    if (c.in.checkpoint) {
        auto cp = read_small_file(*c.in.checkpoint, ledger::max_note_size);
        if (!cp)
            return unusable("inputs", "file " + c.in.checkpoint->string(), cp.err().message);
        c.checkpoint_text = *cp;
    }
    detail = "ledger, package and commission key readable";
    return std::nullopt;
}

step_result check_package(context& c, std::string& detail) {
    auto pk = election::load_signed_package(c.package_text, *c.commission);
    if (!pk) {
        auto p =
            is_signature_problem(pk.err().code)
                ? tampered("package_signature", "file " + c.in.package.string(), pk.err().message)
                : unusable("package_signature", "file " + c.in.package.string(), pk.err().message);
        p.where.code = pk.err().code;
        return p;
    }
    c.package = std::move(*pk);
    c.report.training = c.package->training;
    c.report.election_id = c.package->election_id;
    c.report.station_id = c.package->station_id;
    detail = "signed by the commission key; election " + c.package->election_id + ", station " +
             c.package->station_id + ", package sha256 " + to_hex(c.package->package_hash);
    return std::nullopt;
}

// The ledger's own verification (ledger/verify.h), run once; its failure is attributed to
// the check line of the table it names.
step_result ledger_part(context& c, const std::vector<std::string>& tables, std::string& detail,
                        const std::string& ok_detail) {
    const auto& v = c.verified;
    if (v.outcome == ledger::verify_outcome::failed &&
        std::find(tables.begin(), tables.end(), v.table) != tables.end()) {
        problem p;
        const auto& code = v.problem ? v.problem->code : std::string("ledger.verification_failed");
        // Not a ledger at all (SQLite cannot read it as a database, or another application id)
        // is unusable input; a ledger whose contents are wrong or damaged is tampered.
        bool not_a_ledger = v.table == "file" && v.entries == 0 &&
                            (code == "ledger.not_a_ledger" || code == "ledger.cannot_open" ||
                             code == "ledger.corrupt_file");
        p.kind = not_a_ledger ? outcome::unusable : outcome::tampered;
        std::string place = v.table;
        if (v.seq)
            place = entry_place(*v.seq);
        else if (v.checkpoint_size)
            place = "checkpoint at tree size " + std::to_string(*v.checkpoint_size);
        else if (v.table == "ballots" && !v.found.empty())
            place = "ballot box";
        p.where =
            failure{"",         code,   v.problem ? v.problem->message : v.summary(), place, v.seq,
                    v.expected, v.found};
        return p;
    }
    detail = ok_detail;
    return std::nullopt;
}

}  // namespace
}  // namespace detail

audit_report run(const audit_inputs& inputs) {
    using namespace detail;
    context c(inputs);
    // The chain is read on these threads; started now, while this one checks the input
    // files and the package signature, they are running when it gets there, and the first
    // of them has opened this thread's connection to the ledger and checked its schema
    // (ledger/verify_helpers.h).
    ledger::verify_options range_options;
    range_options.threads = std::max(c.in.threads, 1u);
    if (c.in.min_entries_per_range)
        range_options.min_entries_per_thread = *c.in.min_entries_per_range;
    ledger::verify_helpers helpers(c.in.ledger, range_options, true);
    c.step("inputs", "the input files are readable",
           [&](std::string& d) { return check_inputs(c, d); });
    c.step("package_signature", "the election package is signed by the commission key",
           [&](std::string& d) { return check_package(c, d); });
    if (!c.stopped) {
        ledger::verify_options vo = range_options;
        if (c.in.checkpoint)
            vo.trusted_checkpoint = c.checkpoint_text;
        vo.consistency_proofs = true;
        // Every checkpoint signature is verified once, in the signature step with the other
        // Ed25519 work (checkpoint_signatures), not inside the hashing of the chain.
        vo.leave_checkpoint_signatures_to_caller = true;
        // One read of the file: the read-only open verifies (the report comes back whatever
        // the outcome) and feeds every verified entry to the chain walk, range by range.
        chain_walk walk;
        vo.begin_walk = [&](std::size_t ranges) { walk.begin(ranges); };
        vo.walk_entry = [&](std::size_t range, const ledger::verified_entry& e) {
            walk.entry(range, e);
        };
        c.verified = {};
        auto book = ledger::ledger::open_read_only(c.in.ledger, {}, vo, c.verified, &helpers);
        c.chain = walk.finish();
        if (book) {
            c.book.emplace(std::move(*book));
        } else {
            c.book_error = book.err();
            // Refused before verification ran (no file, not a ledger): verify alone says why.
            if (c.verified.outcome == ledger::verify_outcome::failed && !c.verified.problem) {
                vo.begin_walk = nullptr;
                vo.walk_entry = nullptr;
                c.verified = ledger::verify(c.in.ledger, vo);
            }
        }
        c.incomplete = c.verified.outcome == ledger::verify_outcome::incomplete;
        c.report.counts.entries = c.verified.entries;
        c.report.counts.checkpoints = c.verified.checkpoints;
        c.report.counts.ballots_in_box = c.verified.ballots;
    }
    const auto& v = c.verified;
    c.step("ledger_file",
           "the file is a ledger with exactly the ledger schema (no extra table or trigger)",
           [&](std::string& d) {
               return ledger_part(c, {"file", "schema", "meta"}, d,
                                  "SQLite file, application id, schema, meta rows");
           });
    c.step("chain", "every entry's chain hash, sequence and body", [&](std::string& d) {
        return ledger_part(c, {"entries"}, d,
                           std::to_string(v.entries) + " entries, hashes recomputed");
    });
    c.step("checkpoints", "every checkpoint: origin, size, kind, Merkle root of its entries",
           [&](std::string& d) {
               return ledger_part(c, {"checkpoints"}, d,
                                  std::to_string(v.checkpoints) + " checkpoints");
           });
    c.step("box_root",
           "the ballot box: rows, one ballot per cast event, the closing entry's box root",
           [&](std::string& d) {
               return ledger_part(c, {"ballots"}, d,
                                  std::to_string(v.ballots) + " ballots, root " +
                                      (v.box_root ? to_hex(*v.box_root) : std::string("-")));
           });
    if (c.in.checkpoint)
        c.step("trusted_checkpoint", "the checkpoint given with --checkpoint is in the ledger",
               [&](std::string& d) {
                   return ledger_part(c, {"trusted_checkpoint"}, d, "same root at its size");
               });
    if (!c.stopped && v.outcome == ledger::verify_outcome::failed)  // a table not listed above
        c.step("ledger", "the ledger verifies",
               [&](std::string& d) { return ledger_part(c, {v.table}, d, ""); });
    c.step("genesis", "the genesis entry pins this package and the appliance key",
           [&](std::string& d) -> step_result {
               if (!c.book)
                   return tampered("genesis", "file",
                                   c.book_error ? c.book_error->message
                                                : std::string("the ledger could not be opened"));
               const auto& g = c.book->genesis();
               if (g.election_package_sha256 != c.package->package_hash)
                   return tampered(
                       "genesis", entry_place(0), "The ledger pins another election package.",
                       to_hex(c.package->package_hash), to_hex(g.election_package_sha256), 0);
               auto field = [&](const char* name) -> std::string {
                   const auto* f = g.extra.if_contains(name);
                   return f && f->is_string() ? std::string(f->get_string())
                                              : std::string("(missing)");
               };
               if (field("election_id") != c.package->election_id)
                   return tampered("genesis", entry_place(0), "The genesis names another election.",
                                   c.package->election_id, field("election_id"), 0);
               if (field("station_id") != c.package->station_id)
                   return tampered("genesis", entry_place(0),
                                   "The genesis names another polling station.",
                                   c.package->station_id, field("station_id"), 0);
               const auto* tr = g.extra.if_contains("training");
               if (!tr || !tr->is_bool() || tr->get_bool() != c.package->training)
                   return tampered("genesis", entry_place(0),
                                   "The genesis training flag differs from the package's.",
                                   c.package->training ? "true" : "false",
                                   tr ? boost::json::serialize(*tr) : "(missing)", 0);
               auto commitment = field("mac_key_commitment");
               auto raw = from_hex(commitment);
               if (!raw || raw->size() != 32)
                   return tampered("genesis", entry_place(0),
                                   "The genesis has no MAC-key commitment.", "64 hex digits",
                                   commitment, 0);
               auto key = crypto::ed25519_public_key::from_raw(g.appliance_key);
               if (!key)
                   return tampered("genesis", entry_place(0),
                                   "The genesis appliance key is not an Ed25519 key.");
               c.appliance_key = *key;
               d = "package " + to_hex(g.election_package_sha256).substr(0, 16) +
                   "..., appliance key " + to_hex(g.appliance_key).substr(0, 16) + "..., origin " +
                   g.origin;
               return std::nullopt;
           });
    c.step(
        "events",
        "every event body the audit reads (issue, cast, cancel, turnout, closing) is well formed",
        [&](std::string& d) { return check_chain_walk(c, d); });
    c.step("checkpoint_consistency",
           "an RFC 6962 consistency proof between each two successive checkpoints",
           [&](std::string& d) { return check_checkpoint_consistency(c, d); });
    c.step("turnout", "turnout reports are monotone and agree with the chain",
           [&](std::string& d) { return check_turnout(c, d); });
    if (c.chain.closing_seq || c.stopped)
        c.step("closing",
               "the closing entry: counts agree with the chain, the MAC key matches the genesis "
               "commitment, nothing cast after it",
               [&](std::string& d) { return check_closing(c, d); });
    else
        c.skip("closing", "the closing entry", "the ledger has no closing entry");
    c.step("ballot_records", "every ballot in the box is a voted card of this election and station",
           [&](std::string& d) { return check_ballot_records(c, d); });
    c.step("booth_signatures", "every ballot's booth key is in the package and its signature holds",
           [&](std::string& d) { return check_booth_signatures(c, d); });
    c.step("checkpoint_signatures",
           "every checkpoint signature holds, with the genesis key and origin",
           [&](std::string& d) { return check_checkpoint_signatures(c, d); });
    if (c.chain.mac_key || c.stopped)
        c.step("issue_macs",
               "every ballot's token was issued here (issue MAC under the revealed MAC key)",
               [&](std::string& d) { return check_issue_macs(c, d); });
    else
        c.skip("issue_macs", "every ballot's token was issued here",
               "the MAC key is revealed only in the closing entry");
    c.step("tokens_used_once", "every token is used once (box and cancel events)",
           [&](std::string& d) { return check_tokens_once(c, d); });
    c.step("counts", "issued, cast and cancelled counts agree between the chain and the box",
           [&](std::string& d) { return check_counts(c, d); });
    c.step("box_order", "the box is not stored in cast order (keys spread uniformly)",
           [&](std::string& d) { return check_box_order(c, d); });
    if (!c.chain.portable_imports.empty() || !c.in.portable_ledgers.empty()) {
        const char* title =
            "every imported portable box's ledger verifies and is the one its import pins";
        if (c.in.portable_ledgers.empty() && !c.stopped)
            c.skip("portable", title,
                   "the portable ledgers were not given (--portable FILE, from the station's "
                   "state directory portable/)");
        else
            c.step("portable", title, [&](std::string& d) { return check_portable_ledgers(c, d); });
    }
    if (!c.incomplete || c.stopped)
        c.step("tally", "the tally recomputed from the box and the chain reconciles",
               [&](std::string& d) { return check_tally(c, d); });
    else
        c.skip("tally", "the tally", "there is no result before the final checkpoint");
    if (c.in.protocol_dir && !c.tally && !c.stopped)
        c.skip("protocol", "the exported protocol",
               "there is no result to compare before the final checkpoint");
    else if (c.in.protocol_dir)
        c.step("protocol",
               "the exported protocol: signature, checkpoint and every figure equal the ledger's",
               [&](std::string& d) { return check_protocol_export(c, d); });
    if (!c.in.qr_text.empty() && !c.tally && !c.stopped)
        c.skip("protocol_qr", "the protocol's QR codes",
               "there is no result to compare before the final checkpoint");
    else if (!c.in.qr_text.empty())
        c.step("protocol_qr",
               "the protocol's QR codes: signature and every figure equal the ledger's",
               [&](std::string& d) { return check_protocol_qr(c, d); });
    c.step("complete", "the ledger is closed with a final checkpoint",
           [&](std::string& d) -> step_result {
               if (c.incomplete) {
                   auto p = tampered("complete", "end of the ledger",
                                     "The ledger has no closing entry and final checkpoint: it is "
                                     "incomplete and cannot be verified.",
                                     "a final checkpoint", "none", std::nullopt);
                   p.kind = outcome::incomplete;
                   p.where.code = "audit.incomplete";
                   return p;
               }
               d = "final checkpoint at tree size " +
                   std::to_string(
                       c.verified.final_checkpoint ? c.verified.final_checkpoint->tree_size : 0);
               return std::nullopt;
           });
    if (!c.stopped)
        c.report.result = outcome::verified;
    return std::move(c.report);
}

}  // namespace ballotbox::audit
