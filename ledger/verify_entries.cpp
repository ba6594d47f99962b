#include "ledger/verify_entries.h"

#include <algorithm>

#include "ledger/canonical_json.h"
#include "ledger/entry.h"
#include "ledger/stored_checkpoint.h"
#include "ledger/verify_bodies.h"

namespace ballotbox::ledger {

bool fail_report(verify_report& r, std::string table, std::string code, std::string message,
                 std::optional<std::uint64_t> seq, std::string expected, std::string found) {
    r.outcome = verify_outcome::failed;
    r.problem = make_error(std::move(code), std::move(message));
    r.table = std::move(table);
    r.seq = seq;
    r.expected = std::move(expected);
    r.found = std::move(found);
    return false;
}

bool fail_checkpoint_report(verify_report& r, std::uint64_t size, std::string code,
                            std::string what, std::string expected, std::string found) {
    r.checkpoint_size = size;
    return fail_report(r, "checkpoints", std::move(code),
                       "checkpoint at tree size " + std::to_string(size) + ": " + what, {},
                       std::move(expected), std::move(found));
}

entry_range::entry_range(const verify_options& options,
                         const std::vector<checkpoint_row>& checkpoints, verify_report& report,
                         std::uint64_t begin, std::optional<std::uint64_t> end,
                         std::optional<std::uint64_t> trusted_size)
    : options_(options),
      checkpoints_(checkpoints),
      r_(report),
      begin_(begin),
      end_(end),
      trusted_size_(trusted_size),
      expected_(begin),
      tree_(begin) {
    if (options.consistency_proofs)
        segments_.emplace_back(begin);
}

bool entry_range::fail_entry(std::uint64_t seq, std::string code, std::string what,
                             std::string expected, std::string found) {
    return fail_report(r_, "entries", std::move(code), "entry " + std::to_string(seq) + ": " + what,
                       seq, std::move(expected), std::move(found));
}

bool entry_range::run(sqlite::statement_cache& statements) {
    // The first checkpoint this range can reach is the first past its start.
    next_cp_ = 0;
    while (next_cp_ < checkpoints_.size() && checkpoints_[next_cp_].tree_size <= begin_)
        ++next_cp_;
    const char* sql =
        !end_         ? "SELECT seq, type, body, prev_hash, entry_hash FROM entries ORDER BY seq"
        : begin_ == 0 ? "SELECT seq, type, body, prev_hash, entry_hash FROM entries WHERE seq < ?2 "
                        "ORDER BY seq"
                      : "SELECT seq, type, body, prev_hash, entry_hash FROM entries WHERE seq >= "
                        "?1 AND seq < ?2 ORDER BY seq";
    auto prepared = statements.get(sql);
    if (!prepared)
        return fail_report(r_, "file", prepared.err().code,
                           "reading the ledger failed: " + prepared.err().message);
    auto* st = *prepared;
    if (end_) {
        if (begin_ > 0)
            st->bind(1, static_cast<std::int64_t>(begin_));
        st->bind(2, static_cast<std::int64_t>(*end_));
    }
    for (;;) {
        auto row = st->step();
        if (!row)
            return fail_report(r_, "file", row.err().code,
                               "reading the ledger failed: " + row.err().message);
        if (!*row)
            break;
        if (!check_row(*st))
            return false;
    }
    if (end_ && expected_ != *end_)  // rows vanished between counting and reading them
        return fail_entry(expected_, "ledger.seq_gap", "entry missing", std::to_string(expected_),
                          "none");
    return true;
}

bool entry_range::check_row(sqlite::statement& st) {
    const std::uint64_t expected = expected_;
    // Each column read once, as SQLite holds it: views into its row, nothing is copied
    // (valid until the next step). The body is a BLOB (as text SQLite would first copy it to
    // add a terminator).
    const auto seq_cell = st.column_cell(0);
    const auto type_cell = st.column_cell(1);
    const auto body_cell = st.column_cell(2);
    const auto prev_cell = st.column_cell(3);
    const auto hash_cell = st.column_cell(4);
    auto seq = seq_cell.type == SQLITE_INTEGER ? seq_cell.integer : -1;
    if (seq < 0 || static_cast<std::uint64_t>(seq) != expected)
        return fail_entry(expected, "ledger.seq_gap",
                          "entry missing or renumbered (sequence numbers must run "
                          "from 0 without gaps)",
                          std::to_string(expected), std::to_string(st.column_int(0)));
    if (type_cell.type != SQLITE_INTEGER || body_cell.type != SQLITE_BLOB ||
        prev_cell.type != SQLITE_BLOB || hash_cell.type != SQLITE_BLOB)
        return fail_entry(expected, "ledger.bad_column_type",
                          "a column holds a value of the wrong type", "", "");
    const auto type_code = type_cell.integer;
    const std::string_view body(reinterpret_cast<const char*>(body_cell.blob.data()),
                                body_cell.blob.size());
    const auto prev_hash = prev_cell.blob;
    const auto stored_hash = hash_cell.blob;
    if (expected == begin_ && begin_ > 0 && prev_hash.size() == 32)
        std::copy(prev_hash.begin(), prev_hash.end(), prev_.begin());  // join() checks it
    if (expected == begin_)
        first_prev_ = prev_;
    if (prev_hash.size() != 32 || !std::equal(prev_.begin(), prev_.end(), prev_hash.begin()))
        return fail_entry(expected, "ledger.prev_hash_mismatch",
                          "prev_hash is not the previous entry's hash (entries "
                          "deleted, inserted or reordered before it)",
                          to_hex(prev_), to_hex(prev_hash));
    if (type_code < 0 || type_code > 0xffffffff)
        return fail_entry(expected, "ledger.unknown_event_type", "type out of range", "",
                          std::to_string(type_code));
    auto hash = compute_entry_hash(hasher_, expected, static_cast<std::uint32_t>(type_code), body,
                                   prev_hash);
    if (stored_hash.size() != 32 || !std::equal(hash.begin(), hash.end(), stored_hash.begin()))
        return fail_entry(expected, "ledger.entry_hash_mismatch",
                          "entry_hash is not the hash of this entry's seq, type, body "
                          "and prev_hash (the entry was altered)",
                          to_hex(hash), to_hex(stored_hash));
    if (!is_known_event_type(static_cast<std::uint32_t>(type_code)))
        return fail_entry(expected, "ledger.unknown_event_type", "unknown event type",
                          "a code in docs/ledger-format.md", std::to_string(type_code));
    auto type = static_cast<event_type>(type_code);
    if (!first_type_)
        first_type_ = type;
    if (closing_seq_)
        return fail_entry(expected, "ledger.entry_after_closing",
                          "an entry after the closing entry " + std::to_string(*closing_seq_),
                          "no entry", std::string(*event_type_name(type_code)));
    if (expected == 0 && type != event_type::genesis)
        return fail_entry(0, "ledger.no_genesis", "the first entry is not genesis", "genesis",
                          std::string(*event_type_name(type_code)));
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
    if (segments_.empty())
        tree_.append_leaf_hash(leaf);
    else
        tree_.append_leaf_hash(leaf, segments_.back());
    prev_ = hash;
    last_type_ = type;
    if (options_.walk_entry)
        options_.walk_entry(walk_index_,
                            verified_entry{expected, type, body, hash, leaf,
                                           type == event_type::cast ? &last_cast_ : nullptr});
    expected_ = expected + 1;
    r_.entries = expected_;
    bool signed_here = false;
    while (next_cp_ < checkpoints_.size() && checkpoints_[next_cp_].tree_size == expected_) {
        if (begin_ == 0) {
            if (!check_checkpoint(checkpoints_[next_cp_], type, tree_.root()))
                return false;
        } else {
            auto cp = check_checkpoint_note(checkpoints_[next_cp_]);
            if (!cp)
                return false;
            snapshots_.push_back({next_cp_, type, tree_, std::move(cp)});
        }
        ++next_cp_;
        signed_here = true;
        if (!segments_.empty())
            segments_.emplace_back(expected_);
    }
    // A restart may follow instead: the appliance stopped between the two commits.
    if (awaiting_ && type != event_type::restart)
        return fail_entry(awaiting_checkpoint_, "ledger.checkpoint_missing",
                          "this " + std::string(*event_type_name(awaiting_type_)) +
                              " entry is not followed by its signed checkpoint",
                          "a checkpoint at tree size " + std::to_string(awaiting_checkpoint_ + 1),
                          "none");
    awaiting_ = false;
    // An opening or turnout entry must be signed before anything but a restart follows it
    // (the last entry of an unfinished ledger may still wait for its checkpoint).
    if ((type == event_type::opening || type == event_type::turnout) && !signed_here) {
        awaiting_ = true;
        awaiting_checkpoint_ = expected;
        awaiting_type_ = static_cast<std::uint32_t>(type);
    }
    if (begin_ == 0)
        return check_trusted_root(tree_);
    if (trusted_size_ == expected_)
        snapshots_.push_back({trusted_snapshot, type, tree_, std::nullopt});
    return true;
}

bool entry_range::check_trusted_root(const merkle_range& tree) {
    if (trusted_ && trusted_->tree_size == tree.end() && trusted_->root != tree.root())
        return fail_report(r_, "trusted_checkpoint", "ledger.trusted_root_mismatch",
                           "the first " + std::to_string(tree.end()) +
                               " entries do not match the trusted checkpoint: the ledger was "
                               "rewritten",
                           {}, to_hex(trusted_->root), to_hex(tree.root()));
    return true;
}

bool entry_range::join(const entry_range& next) {
    if (begin_ != 0 || next.begin_ != expected_ || r_.problem || next.r_.problem)
        return false;
    if (next.expected_ == next.begin_)
        return true;  // nothing in it
    if (next.first_prev_ != prev_)
        return fail_entry(next.begin_, "ledger.prev_hash_mismatch", "prev_hash across ranges",
                          to_hex(prev_), to_hex(next.first_prev_));
    if (closing_seq_)
        return fail_entry(next.begin_, "ledger.entry_after_closing", "an entry after closing",
                          "no entry", "an entry");
    if (awaiting_ && next.first_type_ != event_type::restart)
        return fail_entry(awaiting_checkpoint_, "ledger.checkpoint_missing",
                          "not followed by its signed checkpoint", "a checkpoint", "none");
    for (const auto& s : next.snapshots_) {
        auto prefix = tree_;
        if (!prefix.append_range(s.tree))
            return false;
        if (s.checkpoint_index == trusted_snapshot) {
            if (!check_trusted_root(prefix))
                return false;
        } else if (!s.signed_checkpoint || !check_checkpoint_root_and_kind(
                                               checkpoints_[s.checkpoint_index],
                                               *s.signed_checkpoint, s.last_type, prefix.root())) {
            return false;
        }
    }
    if (!tree_.append_range(next.tree_))
        return false;
    if (!segments_.empty() && !next.segments_.empty()) {
        if (!segments_.back().append_range(next.segments_.front()))
            return false;
        segments_.insert(segments_.end(), next.segments_.begin() + 1, next.segments_.end());
    }
    expected_ = next.expected_;
    r_.entries = expected_;
    next_cp_ = next.next_cp_;
    prev_ = next.prev_;
    last_type_ = next.last_type_;
    awaiting_ = next.awaiting_;
    awaiting_checkpoint_ = next.awaiting_checkpoint_;
    awaiting_type_ = next.awaiting_type_;
    if (next.closing_seq_) {
        closing_seq_ = next.closing_seq_;
        closing_ = next.closing_;
    }
    r_.casts += next.r_.casts;
    for (std::size_t s = 0; s < casts_by_source_.size(); ++s)
        casts_by_source_[s] += next.casts_by_source_[s];
    return true;
}

bool entry_range::finish() {
    r_.entries = expected_;
    r_.root = tree_.root();
    if (expected_ == 0)
        return fail_report(r_, "entries", "ledger.no_genesis", "the ledger has no entries at all",
                           0);
    if (next_cp_ < checkpoints_.size())
        return fail_checkpoint_report(r_, checkpoints_[next_cp_].tree_size,
                                      "ledger.checkpoint_beyond_chain",
                                      "a checkpoint covers more entries than the ledger holds "
                                      "(the ledger was truncated)",
                                      "at most " + std::to_string(expected_),
                                      std::to_string(checkpoints_[next_cp_].tree_size));
    if (trusted_ && trusted_->tree_size > expected_)
        return fail_report(r_, "trusted_checkpoint", "ledger.truncated",
                           "the ledger holds fewer entries than the trusted checkpoint covers: it "
                           "was truncated",
                           {}, std::to_string(trusted_->tree_size) + " entries",
                           std::to_string(expected_) + " entries");
    return true;
}

bool entry_range::check_genesis(std::string_view body) {
    auto g = parse_genesis_body(body);
    if (!g)
        return fail_entry(0, g.err().code, g.err().message, "a genesis body", std::string(body));
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
            return fail_report(r_, "trusted_checkpoint", "ledger.trusted_checkpoint_invalid",
                               "the trusted checkpoint does not verify with this ledger's key "
                               "and origin: " +
                                   cp.err().message);
        if (cp->origin != g->origin)
            return fail_report(r_, "trusted_checkpoint", "ledger.trusted_checkpoint_origin",
                               "the trusted checkpoint is for another log", {}, g->origin,
                               cp->origin);
        trusted_.emplace(std::move(*cp));
    }
    genesis_ = std::move(*g);
    return true;
}

void entry_range::assume_genesis(std::string origin, note_verifier verifier) {
    origin_ = std::move(origin);
    note_verifier_.emplace(std::move(verifier));
}

bool entry_range::check_checkpoint(const checkpoint_row& row, event_type last_type,
                                   const digest& root) {
    auto cp = check_checkpoint_note(row);
    return cp && check_checkpoint_root_and_kind(row, *cp, last_type, root);
}

std::optional<checkpoint> entry_range::check_checkpoint_note(const checkpoint_row& row) {
    auto fail = [&](std::string code, std::string what, std::string expected = {},
                    std::string found = {}) -> std::optional<checkpoint> {
        fail_checkpoint_report(r_, row.tree_size, std::move(code), std::move(what),
                               std::move(expected), std::move(found));
        return std::nullopt;
    };
    auto kind = checkpoint_kind_from_code(row.kind);
    if (!kind)
        return fail("ledger.bad_checkpoint_kind", "unknown checkpoint kind", "0..3",
                    std::to_string(row.kind));
    auto note = parse_signed_note(row.note);
    if (!note)
        return fail("ledger.bad_checkpoint_note",
                    "the stored note does not parse: " + note.err().message);
    auto cp = parse_checkpoint(note->text);
    if (!cp)
        return fail("ledger.bad_checkpoint_note",
                    "the note is not a checkpoint: " + cp.err().message);
    if (!note_verifier_)  // never: genesis comes first, or assume_genesis told it
        return fail("ledger.checkpoint_before_genesis", "checked before the genesis entry");
    if (cp->origin != origin_)
        return fail("ledger.checkpoint_origin_mismatch",
                    "the checkpoint is for another log (another station or device)", origin_,
                    cp->origin);
    if (auto s = options_.leave_checkpoint_signatures_to_caller
                     ? status{}
                     : verify_note(*note, *note_verifier_);
        !s)
        return fail("ledger.checkpoint_signature_invalid",
                    "not signed by the appliance key pinned in genesis: " + s.err().message);
    if (cp->tree_size != row.tree_size)
        return fail("ledger.checkpoint_size_mismatch",
                    "the row's tree size differs from the signed one",
                    std::to_string(row.tree_size), std::to_string(cp->tree_size));
    if (!cp->extensions.empty())
        return fail("ledger.bad_checkpoint_note", "ledger checkpoints carry no extension lines");
    return std::move(*cp);
}

bool entry_range::check_checkpoint_root_and_kind(const checkpoint_row& row, const checkpoint& cp,
                                                 event_type last_type, const digest& root) {
    auto fail = [&](std::string code, std::string what, std::string expected, std::string found) {
        return fail_checkpoint_report(r_, row.tree_size, std::move(code), std::move(what),
                                      std::move(expected), std::move(found));
    };
    if (cp.root != root)
        return fail("ledger.checkpoint_root_mismatch",
                    "the signed root is not the Merkle root of the first " +
                        std::to_string(row.tree_size) +
                        " entries: entries before it were rewritten",
                    to_hex(root), to_hex(cp.root));
    auto kind = checkpoint_kind_from_code(row.kind);  // known valid: checked with the note
    auto want = checkpoint_kind_after(last_type);
    if (*kind != want)
        return fail(
            "ledger.checkpoint_kind_mismatch", "the kind does not match the entry it follows",
            std::string(checkpoint_kind_name(want)), std::string(checkpoint_kind_name(*kind)));
    if (*kind == checkpoint_kind::final)
        r_.final_checkpoint = cp;
    verified_.push_back(cp);
    return true;
}

std::vector<verify_report::verified_checkpoint> entry_range::checkpoint_list() const {
    std::vector<verify_report::verified_checkpoint> out;
    out.reserve(verified_.size());
    // segments_[j] runs from checkpoint j-1's size to checkpoint j's; their joined prefix is
    // the tree of the earlier checkpoint.
    const bool proofs = segments_.size() == verified_.size() + 1;
    std::optional<merkle_range> prefix;
    for (std::size_t j = 0; j < verified_.size(); ++j) {
        out.push_back({verified_[j], {}});
        if (!proofs)
            continue;
        if (!prefix) {
            prefix = segments_[0];
            continue;
        }
        if (auto proof = prefix->consistency_proof(segments_[j]))
            out.back().proof_from_previous = std::move(*proof);
        (void)prefix->append_range(segments_[j]);
    }
    return out;
}

// Each body is parsed once. The common short bodies (every cast; issue, cancel and the like
// when flat) are recognised exactly by verify_bodies.h; anything those recognisers decline
// takes the full path below, which gives the same verdict and names the error.
bool entry_range::check_body(std::uint64_t seq, event_type type, std::string_view body) {
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

void entry_range::count_cast(const cast_body& c) {
    last_cast_ = c;
    ++r_.casts;
    ++casts_by_source_[static_cast<std::size_t>(c.source)];
}

}  // namespace ballotbox::ledger
