#include "ledger/ledger.h"

#include <system_error>

#include "crypto/random.h"
#include "ledger/canonical_json.h"
#include "ledger/checkpoint.h"
#include "ledger/in_transaction.h"
#include "ledger/ledger_file.h"
#include "ledger/schema.h"
#include "ledger/verify_helpers.h"

namespace ballotbox::ledger {
namespace {

const system_clock_source system_clock_instance;

status set_write_pragmas(sqlite::database& db) {
    BALLOTBOX_TRY(db.exec("PRAGMA synchronous = FULL"));
    BALLOTBOX_TRY(db.exec("PRAGMA foreign_keys = ON"));
    auto st = sqlite::statement::prepare(db, "PRAGMA journal_mode = WAL");
    if (!st)
        return st.err();
    auto row = st->step();
    if (!row)
        return row.err();
    if (!*row || st->column_text(0) != "wal")
        return make_error("ledger.storage_failed",
                          "the ledger file cannot be put in write-ahead-log mode");
    return ok_status();
}

void remove_file_set(const std::filesystem::path& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        auto p = path;
        p += suffix;
        std::filesystem::remove(p, ec);
    }
}

}  // namespace

result<ledger> ledger::create(const std::filesystem::path& path, const ledger_options& options,
                              const genesis_info& genesis) {
    auto body = make_genesis_body(genesis);
    if (!body)
        return body.err();
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        return make_error("ledger.already_exists",
                          "a file already exists at " + path.string() +
                              "; a new ledger is never written over an old one");
    ledger l;
    l.options_ = options;
    l.genesis_ = genesis;
    auto made = [&]() -> status {
        auto db = open_file_for_writing(path, true, options.vfs_name);
        if (!db)
            return db.err();
        l.db_ = std::move(*db);
        BALLOTBOX_TRY(set_write_pragmas(l.db_));
        auto tx = sqlite::transaction::begin(l.db_);
        if (!tx)
            return tx.err();
        BALLOTBOX_TRY(create_schema(l.db_));
        auto seq = l.insert_entry(event_type::genesis, *body);
        if (!seq)
            return seq.err();
        BALLOTBOX_TRY(tx->commit());
        l.commit_entry(event_type::genesis, *l.pending_hash_);
        return ok_status();
    }();
    if (!made) {
        l.db_ = sqlite::database();
        remove_file_set(path);
        return made.err();
    }
    return l;
}

result<ledger> ledger::open(const std::filesystem::path& path, const ledger_options& options) {
    return open_impl(path, options, false);
}

result<ledger> ledger::open_read_only(const std::filesystem::path& path,
                                      const ledger_options& options) {
    return open_impl(path, options, true);
}

result<ledger> ledger::open_read_only(const std::filesystem::path& path,
                                      const ledger_options& options, const verify_options& verify,
                                      verify_report& report, verify_helpers* helpers) {
    return open_impl(path, options, true, &verify, &report, helpers);
}

result<ledger> ledger::open_impl(const std::filesystem::path& path, const ledger_options& options,
                                 bool read_only, const verify_options* verify,
                                 verify_report* report_out, verify_helpers* helpers) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return make_error("ledger.cannot_open", "no ledger file at " + path.string());
    ledger l;
    l.options_ = options;
    l.read_only_ = read_only;
    // A reader's connection may have been opened ahead, with verify's helpers.
    auto early = read_only && helpers ? helpers->take_reader(path, options.vfs_name) : std::nullopt;
    auto db = early       ? std::move(*early)
              : read_only ? open_file_for_reading(path, options.vfs_name)
                          : open_file_for_writing(path, false, options.vfs_name);
    if (!db)
        return db.err();
    l.db_ = std::move(*db);
    // The writer recognises a foreign file before changing anything in it (journal_mode is
    // persistent); a reader changes nothing, and verify's own schema check tells.
    if (!read_only) {
        if (auto s = check_schema(l.db_); !s && s.err().code == "ledger.not_a_ledger")
            return s.err();
        BALLOTBOX_TRY(set_write_pragmas(l.db_));
    }
    verify_options vo = verify ? *verify : verify_options{};
    if (options.trusted_key || !verify)
        vo.trusted_key = options.trusted_key;
    if (!options.vfs_name.empty() || !verify)
        vo.vfs_name = options.vfs_name;
    // A reader verifies by path, so a big file is checked on several threads, the first on
    // the reader's own connection and each other on its own (verify.h); the writer verifies
    // on its connection. Either way the head is taken from the report, as verify read the file.
    auto report = read_only ? verify_file(l.db_, path, vo, helpers) : verify_database(l.db_, vo);
    if (report_out)
        *report_out = report;
    if (read_only && report.problem && report.problem->code == "ledger.not_a_ledger")
        return *report.problem;
    if (report.outcome == verify_outcome::failed || !report.end)
        return make_error("ledger.verification_failed",
                          "the ledger at " + path.string() + " fails verification and is " +
                              (read_only ? "not read" : "not opened for writing") + ": " +
                              report.summary());
    l.load_state(*report.end);
    return l;
}

void ledger::load_state(const verify_report::chain_end& end) {
    // The head, the tree, the genesis and the checkpoints' reach as verify() left them: the
    // file is not read a second time. Nothing follows a closing entry (verify checked it), so
    // the last entry tells.
    tree_ = end.tree;
    head_ = end.head;
    last_type_ = end.last_type;
    closed_ = last_type_ == event_type::closing;
    genesis_ = end.genesis;
    finalized_ = end.finalized;
    signed_size_ = end.signed_size;
}

status ledger::writable(bool allow_after_closing, bool is_restart) const {
    if (read_only_)
        return make_error("ledger.read_only", "this ledger was opened read-only");
    if (must_reopen_)
        return make_error("ledger.must_reopen",
                          "an earlier commit failed; reopen the ledger before appending");
    if (finalized_)
        return make_error("ledger.closed",
                          "the ledger is closed with its final checkpoint; nothing more may be "
                          "appended");
    if (closed_ && !allow_after_closing)
        return make_error("ledger.closed",
                          "the ledger has its closing entry; only the final checkpoint may "
                          "follow");
    bool needs_checkpoint = last_type_ == event_type::opening || last_type_ == event_type::turnout;
    if (!allow_after_closing && !is_restart && needs_checkpoint && signed_size_ != tree_.end())
        return make_error(
            "ledger.checkpoint_required",
            "the last " + std::string(*event_type_name(static_cast<std::uint32_t>(last_type_))) +
                " entry has no signed checkpoint yet; append it first");
    return ok_status();
}

result<std::uint64_t> ledger::insert_entry(event_type type, const std::string& body) {
    std::uint64_t seq = tree_.end();
    BALLOTBOX_ASSIGN_OR_RETURN(auto hash, insert_entry_at(seq, head_, type, body));
    pending_hash_ = hash;
    return seq;
}

result<crypto::digest> ledger::insert_entry_at(std::uint64_t seq, const crypto::digest& prev,
                                               event_type type, const std::string& body) {
    auto code = static_cast<std::uint32_t>(type);
    auto hash = compute_entry_hash(seq, code, body, prev);
    auto st = sqlite::statement::prepare(
        db_,
        "INSERT INTO entries(seq, type, body, prev_hash, entry_hash) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return st.err();
    st->bind(1, static_cast<std::int64_t>(seq))
        .bind(2, static_cast<std::int64_t>(code))
        .bind(3, as_bytes(body))
        .bind(4, prev)
        .bind(5, hash);
    BALLOTBOX_TRY(st->run());
    return hash;
}

void ledger::commit_entry(event_type type, const crypto::digest& hash) {
    head_ = hash;
    tree_.append_leaf_hash(entry_leaf_hash(hash));
    last_type_ = type;
    pending_hash_.reset();
}

void ledger::note_failure(bool at_commit) {
    pending_hash_.reset();
    if (at_commit || sqlite3_get_autocommit(db_.get()) == 0)
        must_reopen_ = true;
}

result<std::uint64_t> ledger::append(event_type type, const boost::json::object& body) {
    BALLOTBOX_TRY(writable(false, type == event_type::restart));
    if (type == event_type::genesis || type == event_type::cast || type == event_type::closing)
        return make_error("ledger.use_dedicated_append",
                          "genesis, cast and closing entries are written by create, "
                          "append_cast and append_closing");
    if (!is_known_event_type(static_cast<std::uint32_t>(type)))
        return make_error("ledger.unknown_event_type", "unknown event type");
    if (type == event_type::rejected_card)
        BALLOTBOX_TRY(check_rejection_body(body));
    auto text = to_canonical_json(body);
    if (!text)
        return text.err();
    auto seq = in_transaction([&] { return insert_entry(type, *text); });
    if (seq)
        commit_entry(type, *pending_hash_);
    return seq;
}

result<std::uint64_t> ledger::append_cast(const ballot& b) {
    BALLOTBOX_TRY(writable());
    BALLOTBOX_TRY(check_ballot(b));
    const clock_source& clock = options_.clock ? *options_.clock : system_clock_instance;
    std::string body = make_cast_body(b.source, options_.window.window_start(clock.now()));

    auto seq = in_transaction([&]() -> result<std::uint64_t> {
        BALLOTBOX_TRY(insert_ballot(b));
        return insert_entry(event_type::cast, body);
    });
    if (seq)
        commit_entry(event_type::cast, *pending_hash_);
    return seq;
}

result<std::uint64_t> ledger::append_closing(const boost::json::object& extra) {
    BALLOTBOX_TRY(writable());
    auto seq = in_transaction([&]() -> result<std::uint64_t> {
        BALLOTBOX_ASSIGN_OR_RETURN(auto box, ballots());
        BALLOTBOX_ASSIGN_OR_RETURN(
            auto body, make_closing_body(extra, ::ballotbox::ledger::box_root(box), box.size()));
        return insert_entry(event_type::closing, body);
    });
    if (!seq)
        return seq;
    commit_entry(event_type::closing, *pending_hash_);
    closed_ = true;
    return seq;
}

result<std::string> ledger::append_checkpoint(checkpoint_kind kind,
                                              const crypto::ed25519_private_key& key) {
    BALLOTBOX_TRY(writable(true));
    if (key.public_key().raw() != genesis_.appliance_key)
        return make_error("ledger.wrong_signing_key",
                          "this key is not the appliance key pinned in the ledger's genesis");
    auto want = checkpoint_kind_after(last_type_);
    if (kind != want)
        return make_error("ledger.checkpoint_kind_mismatch",
                          "a " + std::string(checkpoint_kind_name(kind)) +
                              " checkpoint cannot follow this entry; expected a " +
                              std::string(checkpoint_kind_name(want)) + " checkpoint");
    checkpoint cp{genesis_.origin, tree_.end(), tree_.root(), {}};
    std::string note = sign_checkpoint(cp, genesis_.origin, key);
    auto stored = in_transaction([&]() -> status {
        BALLOTBOX_ASSIGN_OR_RETURN(
            auto st,
            sqlite::statement::prepare(
                db_, "INSERT INTO checkpoints(tree_size, kind, note) VALUES (?1, ?2, ?3)"));
        st.bind(1, static_cast<std::int64_t>(cp.tree_size))
            .bind(2, static_cast<std::int64_t>(kind))
            .bind_text(3, note);
        auto s = st.run();
        if (!s && s.err().code == "ledger.constraint")
            return make_error("ledger.checkpoint_exists",
                              "a checkpoint of this tree size is already stored");
        return s;
    });
    if (!stored)
        return stored.err();
    signed_size_ = cp.tree_size;
    if (kind == checkpoint_kind::final)
        finalized_ = true;
    return note;
}

}  // namespace ballotbox::ledger
