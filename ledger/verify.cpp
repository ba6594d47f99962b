#include "ledger/verify.h"

#include <algorithm>
#include <array>
#include <vector>

#include "ledger/ballot_box.h"
#include "ledger/bodies.h"
#include "ledger/box_scan.h"
#include "ledger/canonical_json.h"
#include "ledger/entry.h"
#include "ledger/ledger_file.h"
#include "ledger/merkle.h"
#include "ledger/schema.h"
#include "ledger/stored_checkpoint.h"
#include "ledger/verify_bodies.h"

namespace ballotbox::ledger {
namespace {

struct checkpoint_row {
    std::uint64_t tree_size = 0;
    std::int64_t kind = 0;
    std::string note;
};

class verifier {
  public:
    verifier(sqlite::database& db, const verify_options& options, verify_report& report)
        : db_(db), options_(options), r_(report) {}

    bool run() {
        if (!check_file())
            return false;
        if (!load_checkpoints())
            return false;
        if (!check_entries())
            return false;
        if (!check_box())
            return false;
        r_.outcome = (closing_seq_ && r_.final_checkpoint) ? verify_outcome::complete
                                                           : verify_outcome::incomplete;
        return true;
    }

  private:
    bool fail(std::string table, std::string code, std::string message,
              std::optional<std::uint64_t> seq = {}, std::string expected = {},
              std::string found = {}) {
        r_.outcome = verify_outcome::failed;
        r_.problem = make_error(std::move(code), std::move(message));
        r_.table = std::move(table);
        r_.seq = seq;
        r_.expected = std::move(expected);
        r_.found = std::move(found);
        return false;
    }
    bool fail_entry(std::uint64_t seq, std::string code, std::string what, std::string expected,
                    std::string found) {
        return fail("entries", std::move(code), "entry " + std::to_string(seq) + ": " + what, seq,
                    std::move(expected), std::move(found));
    }
    bool fail_checkpoint(std::uint64_t size, std::string code, std::string what,
                         std::string expected = {}, std::string found = {}) {
        r_.checkpoint_size = size;
        return fail("checkpoints", std::move(code),
                    "checkpoint at tree size " + std::to_string(size) + ": " + what, {},
                    std::move(expected), std::move(found));
    }
    bool fail_storage(const error& e) {
        return fail("file", e.code, "reading the ledger failed: " + e.message);
    }

    bool check_file() {
        auto s = check_schema(db_);
        if (s)
            return true;
        const auto& code = s.err().code;
        std::string table = code == "ledger.meta_mismatch"     ? "meta"
                            : code == "ledger.schema_mismatch" ? "schema"
                                                               : "file";
        return fail(table, code, s.err().message);
    }

    bool load_checkpoints() {
        auto st = sqlite::statement::prepare(
            db_, "SELECT tree_size, kind, note FROM checkpoints ORDER BY tree_size");
        if (!st)
            return fail_storage(st.err());
        for (;;) {
            auto row = st->step();
            if (!row)
                return fail_storage(row.err());
            if (!*row)
                break;
            auto size = st->column_int(0);
            if (size < 0)
                return fail("checkpoints", "ledger.bad_checkpoint_row",
                            "a checkpoint row has a negative tree size");
            if (st->column_type(1) != SQLITE_INTEGER || st->column_type(2) != SQLITE_TEXT)
                return fail_checkpoint(static_cast<std::uint64_t>(size),
                                       "ledger.bad_checkpoint_row",
                                       "kind is not an integer or note is not text");
            checkpoints_.push_back(
                {static_cast<std::uint64_t>(size), st->column_int(1), st->column_text(2)});
        }
        r_.checkpoints = checkpoints_.size();
        if (!checkpoints_.empty() && checkpoints_.front().tree_size == 0)
            return fail_checkpoint(0, "ledger.bad_checkpoint_row",
                                   "a checkpoint of the empty tree: every checkpoint covers at "
                                   "least the genesis entry");
        // A checkpoint past the highest stored seq can never be reached by the chain: name it
        // now, before the entry pass trips over the entry it no longer follows.
        auto top =
            sqlite::statement::prepare(db_, "SELECT coalesce(max(seq), -1) + 1 FROM entries");
        if (!top)
            return fail_storage(top.err());
        auto row = top->step();
        if (!row)
            return fail_storage(row.err());
        auto limit = *row ? top->column_int(0) : 0;
        if (!checkpoints_.empty() &&
            checkpoints_.back().tree_size >
                static_cast<std::uint64_t>(std::max<std::int64_t>(limit, 0)))
            return fail_checkpoint(checkpoints_.back().tree_size, "ledger.checkpoint_beyond_chain",
                                   "a checkpoint covers more entries than the ledger holds",
                                   "at most " + std::to_string(limit),
                                   std::to_string(checkpoints_.back().tree_size));
        return true;
    }

    bool check_genesis(std::string_view body) {
        auto g = parse_genesis_body(body);
        if (!g)
            return fail_entry(0, g.err().code, g.err().message, "a genesis body",
                              std::string(body));
        auto key = crypto::ed25519_public_key::from_raw(g->appliance_key);
        if (!key)
            return fail_entry(0, "ledger.bad_genesis", key.err().message, "", std::string(body));
        if (options_.trusted_key && !(*options_.trusted_key == *key))
            return fail_entry(0, "ledger.genesis_key_mismatch",
                              "genesis pins an appliance key other than the trusted one",
                              to_hex(options_.trusted_key->raw()), to_hex(key->raw()));
        origin_ = g->origin;
        note_verifier_.emplace(note_verifier{g->origin, *key});
        if (options_.trusted_checkpoint) {
            note_verifier v{g->origin, options_.trusted_key ? *options_.trusted_key : *key};
            auto cp = open_signed_checkpoint(*options_.trusted_checkpoint, v);
            if (!cp)
                return fail("trusted_checkpoint", "ledger.trusted_checkpoint_invalid",
                            "the trusted checkpoint does not verify with this ledger's key and "
                            "origin: " +
                                cp.err().message);
            if (cp->origin != g->origin)
                return fail("trusted_checkpoint", "ledger.trusted_checkpoint_origin",
                            "the trusted checkpoint is for another log", {}, g->origin, cp->origin);
            trusted_.emplace(std::move(*cp));
        }
        return true;
    }

    bool check_checkpoint(const checkpoint_row& row, event_type last_type) {
        auto kind = checkpoint_kind_from_code(row.kind);
        if (!kind)
            return fail_checkpoint(row.tree_size, "ledger.bad_checkpoint_kind",
                                   "unknown checkpoint kind", "0..3", std::to_string(row.kind));
        auto note = parse_signed_note(row.note);
        if (!note)
            return fail_checkpoint(row.tree_size, "ledger.bad_checkpoint_note",
                                   "the stored note does not parse: " + note.err().message);
        auto cp = parse_checkpoint(note->text);
        if (!cp)
            return fail_checkpoint(row.tree_size, "ledger.bad_checkpoint_note",
                                   "the note is not a checkpoint: " + cp.err().message);
        if (cp->origin != origin_)
            return fail_checkpoint(row.tree_size, "ledger.checkpoint_origin_mismatch",
                                   "the checkpoint is for another log (another station or "
                                   "device)",
                                   origin_, cp->origin);
        if (auto s = verify_note(*note, *note_verifier_); !s)
            return fail_checkpoint(
                row.tree_size, "ledger.checkpoint_signature_invalid",
                "not signed by the appliance key pinned in genesis: " + s.err().message);
        if (cp->tree_size != row.tree_size)
            return fail_checkpoint(row.tree_size, "ledger.checkpoint_size_mismatch",
                                   "the row's tree size differs from the signed one",
                                   std::to_string(row.tree_size), std::to_string(cp->tree_size));
        if (!cp->extensions.empty())
            return fail_checkpoint(row.tree_size, "ledger.bad_checkpoint_note",
                                   "ledger checkpoints carry no extension lines");
        auto root = tree_.root();
        if (cp->root != root)
            return fail_checkpoint(row.tree_size, "ledger.checkpoint_root_mismatch",
                                   "the signed root is not the Merkle root of the first " +
                                       std::to_string(row.tree_size) +
                                       " entries: entries before it were rewritten",
                                   to_hex(root), to_hex(cp->root));
        auto want = checkpoint_kind_after(last_type);
        if (*kind != want)
            return fail_checkpoint(row.tree_size, "ledger.checkpoint_kind_mismatch",
                                   "the kind does not match the entry it follows",
                                   std::string(checkpoint_kind_name(want)),
                                   std::string(checkpoint_kind_name(*kind)));
        if (*kind == checkpoint_kind::final)
            r_.final_checkpoint = *cp;
        return true;
    }

    // Each body is parsed once. The common short bodies (every cast; issue, cancel and the
    // like when flat) are recognised exactly by verify_bodies.h; anything those recognisers
    // decline takes the full path below, which gives the same verdict and names the error.
    bool check_body(std::uint64_t seq, event_type type, std::string_view body) {
        if (type == event_type::genesis)
            return true;  // checked by check_genesis
        if (type == event_type::cast) {
            if (auto fast = fast_cast_body(body)) {
                count_cast(*fast);
                return true;
            }
        } else if (type != event_type::closing && type != event_type::rejected_card &&
                   is_flat_canonical_object(body)) {
            return true;
        }
        auto obj = parse_canonical_json(body);
        if (!obj)
            return fail_entry(seq, obj.err().code, obj.err().message, "", std::string(body));
        if (type == event_type::cast) {
            auto c = parse_cast_body(body);
            if (!c)
                return fail_entry(seq, c.err().code, c.err().message, "", std::string(body));
            count_cast(*c);
        } else if (type == event_type::closing) {
            auto c = parse_closing_body(body);
            if (!c)
                return fail_entry(seq, c.err().code, c.err().message, "", std::string(body));
            closing_ = *c;
        } else if (type == event_type::rejected_card) {
            if (auto s = check_rejection_body(*obj); !s)
                return fail_entry(seq, s.err().code, s.err().message, "", std::string(body));
        }
        return true;
    }

    void count_cast(const cast_body& c) {
        ++r_.casts;
        ++casts_by_source_[static_cast<std::size_t>(c.source)];
    }

    bool check_entries() {
        auto st = sqlite::statement::prepare(
            db_, "SELECT seq, type, body, prev_hash, entry_hash FROM entries ORDER BY seq");
        if (!st)
            return fail_storage(st.err());
        crypto::digest prev{};
        std::uint64_t expected = 0;
        std::size_t next_cp = 0;
        bool awaiting = false;  // the previous opening/turnout entry has no checkpoint yet
        std::uint64_t awaiting_checkpoint = 0;
        std::uint32_t awaiting_type = 0;
        for (;;) {
            auto row = st->step();
            if (!row)
                return fail_storage(row.err());
            if (!*row)
                break;
            auto seq = st->column_int(0);
            if (seq < 0 || static_cast<std::uint64_t>(seq) != expected)
                return fail_entry(expected, "ledger.seq_gap",
                                  "entry missing or renumbered (sequence numbers must run "
                                  "from 0 without gaps)",
                                  std::to_string(expected), std::to_string(seq));
            if (st->column_type(1) != SQLITE_INTEGER || st->column_type(2) != SQLITE_BLOB ||
                st->column_type(3) != SQLITE_BLOB || st->column_type(4) != SQLITE_BLOB)
                return fail_entry(expected, "ledger.bad_column_type",
                                  "a column holds a value of the wrong type", "", "");
            // Views into SQLite's row: nothing is copied (valid until the next step).
            auto type_code = st->column_int(1);
            auto body = st->column_text_view(2);
            auto prev_hash = st->column_blob_view(3);
            auto stored_hash = st->column_blob_view(4);
            if (prev_hash.size() != 32 || !std::equal(prev.begin(), prev.end(), prev_hash.begin()))
                return fail_entry(expected, "ledger.prev_hash_mismatch",
                                  "prev_hash is not the previous entry's hash (entries "
                                  "deleted, inserted or reordered before it)",
                                  to_hex(prev), to_hex(prev_hash));
            if (type_code < 0 || type_code > 0xffffffff)
                return fail_entry(expected, "ledger.unknown_event_type", "type out of range", "",
                                  std::to_string(type_code));
            auto hash = compute_entry_hash(hasher_, expected, static_cast<std::uint32_t>(type_code),
                                           body, prev_hash);
            if (stored_hash.size() != 32 ||
                !std::equal(hash.begin(), hash.end(), stored_hash.begin()))
                return fail_entry(expected, "ledger.entry_hash_mismatch",
                                  "entry_hash is not the hash of this entry's seq, type, body "
                                  "and prev_hash (the entry was altered)",
                                  to_hex(hash), to_hex(stored_hash));
            if (!is_known_event_type(static_cast<std::uint32_t>(type_code)))
                return fail_entry(expected, "ledger.unknown_event_type", "unknown event type",
                                  "a code in docs/ledger-format.md", std::to_string(type_code));
            auto type = static_cast<event_type>(type_code);
            if (closing_seq_)
                return fail_entry(
                    expected, "ledger.entry_after_closing",
                    "an entry after the closing entry " + std::to_string(*closing_seq_), "no entry",
                    std::string(*event_type_name(type_code)));
            if (expected == 0 && type != event_type::genesis)
                return fail_entry(0, "ledger.no_genesis", "the first entry is not genesis",
                                  "genesis", std::string(*event_type_name(type_code)));
            if (expected > 0 && type == event_type::genesis)
                return fail_entry(expected, "ledger.second_genesis", "a second genesis entry", "",
                                  "genesis");
            if (expected == 0 && !check_genesis(body))
                return false;
            if (!check_body(expected, type, body))
                return false;
            if (type == event_type::closing)
                closing_seq_ = expected;

            auto leaf = entry_leaf_hash(hash);
            tree_.append_leaf_hash(leaf);
            prev = hash;
            if (options_.on_entry)
                options_.on_entry(verified_entry{expected, type, body, hash, leaf});
            ++expected;
            r_.entries = expected;
            bool signed_here = false;
            while (next_cp < checkpoints_.size() &&
                   checkpoints_[next_cp].tree_size == tree_.size()) {
                if (!check_checkpoint(checkpoints_[next_cp], type))
                    return false;
                ++next_cp;
                signed_here = true;
            }
            // A restart may follow instead: the appliance stopped between the two commits.
            if (awaiting && type != event_type::restart)
                return fail_entry(
                    awaiting_checkpoint, "ledger.checkpoint_missing",
                    "this " +
                        std::string(*event_type_name(static_cast<std::uint32_t>(awaiting_type))) +
                        " entry is not followed by its signed checkpoint",
                    "a checkpoint at tree size " + std::to_string(awaiting_checkpoint + 1), "none");
            awaiting = false;
            // An opening or turnout entry must be signed before anything but a restart follows
            // it (the last entry of an unfinished ledger may still wait for its checkpoint).
            if ((type == event_type::opening || type == event_type::turnout) && !signed_here) {
                awaiting = true;
                awaiting_checkpoint = expected - 1;
                awaiting_type = static_cast<std::uint32_t>(type);
            }
            if (trusted_ && trusted_->tree_size == tree_.size() && trusted_->root != tree_.root())
                return fail("trusted_checkpoint", "ledger.trusted_root_mismatch",
                            "the first " + std::to_string(tree_.size()) +
                                " entries do not match the trusted checkpoint: the ledger was "
                                "rewritten",
                            {}, to_hex(trusted_->root), to_hex(tree_.root()));
        }
        r_.entries = expected;
        r_.root = tree_.root();
        if (expected == 0)
            return fail("entries", "ledger.no_genesis", "the ledger has no entries at all", 0);
        if (next_cp < checkpoints_.size())
            return fail_checkpoint(checkpoints_[next_cp].tree_size,
                                   "ledger.checkpoint_beyond_chain",
                                   "a checkpoint covers more entries than the ledger holds "
                                   "(the ledger was truncated)",
                                   "at most " + std::to_string(expected),
                                   std::to_string(checkpoints_[next_cp].tree_size));
        if (trusted_ && trusted_->tree_size > expected)
            return fail("trusted_checkpoint", "ledger.truncated",
                        "the ledger holds fewer entries than the trusted checkpoint covers: it "
                        "was truncated",
                        {}, std::to_string(trusted_->tree_size) + " entries",
                        std::to_string(expected) + " entries");
        return true;
    }

    bool check_box() {
        std::string bad_key;
        auto scan = scan_box(db_, bad_key);
        if (!scan) {
            if (scan.err().code != "ledger.bad_ballot_row")
                return fail_storage(scan.err());
            return fail("ballots", scan.err().code, scan.err().message, {}, "",
                        "box key " + bad_key);
        }
        const auto& by_source = scan->by_source;
        r_.ballots = scan->ballots;
        r_.box_root = scan->root;
        const char* names[] = {"stationary", "portable"};
        for (std::size_t s = 0; s < 2; ++s)
            if (by_source[s] != casts_by_source_[s])
                return fail(
                    "ballots", "ledger.box_count_mismatch",
                    std::string("the ") + names[s] + " box does not hold one ballot per cast event",
                    {}, std::to_string(casts_by_source_[s]) + " ballots",
                    std::to_string(by_source[s]) + " ballots");
        if (closing_) {
            if (closing_->box_size != scan->ballots)
                return fail("ballots", "ledger.box_size_mismatch",
                            "the box size sealed in closing entry " +
                                std::to_string(*closing_seq_) + " differs from the box",
                            closing_seq_, std::to_string(closing_->box_size),
                            std::to_string(scan->ballots));
            if (closing_->box_root != *r_.box_root)
                return fail("ballots", "ledger.box_root_mismatch",
                            "the ballot box no longer matches the root sealed in closing entry " +
                                std::to_string(*closing_seq_) +
                                ": a ballot was changed, swapped, added or removed",
                            closing_seq_, to_hex(closing_->box_root), to_hex(*r_.box_root));
        }
        return true;
    }

    sqlite::database& db_;
    const verify_options& options_;
    verify_report& r_;
    std::vector<checkpoint_row> checkpoints_;
    merkle_tree tree_;
    crypto::sha256_hasher hasher_;  // reused for every entry hash
    std::string origin_;
    std::optional<note_verifier> note_verifier_;
    std::optional<checkpoint> trusted_;
    std::optional<std::uint64_t> closing_seq_;
    std::optional<closing_body> closing_;
    std::array<std::uint64_t, 2> casts_by_source_{};
};

}  // namespace

verify_report verify_database(sqlite::database& db, const verify_options& options) {
    verify_report report;
    verifier v(db, options, report);
    (void)v.run();
    return report;
}

verify_report verify(const std::filesystem::path& path, const verify_options& options) {
    auto db = open_file_for_reading(path, options.vfs_name);
    if (!db) {
        verify_report report;
        report.problem = db.err();
        report.table = "file";
        return report;
    }
    return verify_database(*db, options);
}

}  // namespace ballotbox::ledger
