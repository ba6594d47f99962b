// The read side of ledger (ledger.h): entries, the box and the checkpoints, from the file.
#include "ledger/ledger.h"

namespace ballotbox::ledger {

namespace {

constexpr const char* entry_columns = "SELECT seq, type, body, prev_hash, entry_hash FROM entries ";

// Entry `seq` from the statement's current row (the columns of entry_columns).
result<entry> entry_of_row(const sqlite::statement& st, std::uint64_t seq) {
    auto prev = st.column_blob_view(3);
    auto hash = st.column_blob_view(4);
    if (st.column_int(0) != static_cast<std::int64_t>(seq) || prev.size() != 32 ||
        hash.size() != 32)
        return make_error("ledger.corrupt_file",
                          "entry " + std::to_string(seq) + " is malformed or out of place");
    entry e;
    e.seq = seq;
    e.type = static_cast<event_type>(st.column_int(1));
    e.body = st.column_text(2);
    std::copy(prev.begin(), prev.end(), e.prev_hash.begin());
    std::copy(hash.begin(), hash.end(), e.entry_hash.begin());
    return e;
}

}  // namespace

result<entry> ledger::read_entry(std::uint64_t seq) {
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto st, sqlite::statement::prepare(db_, std::string(entry_columns) + "WHERE seq = ?1"));
    st.bind(1, static_cast<std::int64_t>(seq));
    BALLOTBOX_ASSIGN_OR_RETURN(bool has_row, st.step());
    if (!has_row)
        return make_error("ledger.no_such_entry", "no entry " + std::to_string(seq));
    return entry_of_row(st, seq);
}

status ledger::for_each_entry(const std::function<status(const entry&)>& visit) {
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto st, sqlite::statement::prepare(
                     db_, std::string(entry_columns) + "WHERE seq < ?1 ORDER BY seq"));
    st.bind(1, static_cast<std::int64_t>(size()));
    for (std::uint64_t seq = 0;; ++seq) {
        BALLOTBOX_ASSIGN_OR_RETURN(bool has_row, st.step());
        if (!has_row) {
            if (seq != size())
                return make_error("ledger.corrupt_file",
                                  "entry " + std::to_string(seq) + " is missing from the file");
            return ok_status();
        }
        BALLOTBOX_ASSIGN_OR_RETURN(auto e, entry_of_row(st, seq));
        BALLOTBOX_TRY(visit(e));
    }
}

result<std::vector<stored_ballot>> ledger::ballots() {
    auto st = sqlite::statement::prepare(
        db_,
        "SELECT box_key, record, booth_signature, token, source FROM ballots ORDER BY box_key");
    if (!st)
        return st.err();
    std::vector<stored_ballot> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.err();
        if (!*row)
            break;
        auto key = st->column_blob(0);
        auto source = st->column_int(4);
        if (key.size() != 16 || (source != 0 && source != 1))
            return make_error("ledger.corrupt_file", "a ballot row is malformed");
        stored_ballot b;
        std::copy(key.begin(), key.end(), b.key.begin());
        b.content = {st->column_blob(1), st->column_blob(2), st->column_blob(3),
                     static_cast<ballot_source>(source)};
        out.push_back(std::move(b));
    }
    return out;
}

result<crypto::digest> ledger::box_root() {
    auto box = ballots();
    if (!box)
        return box.err();
    return ::ballotbox::ledger::box_root(*box);
}

result<std::vector<stored_checkpoint>> ledger::checkpoints() {
    auto st = sqlite::statement::prepare(
        db_, "SELECT tree_size, kind, note FROM checkpoints ORDER BY tree_size");
    if (!st)
        return st.err();
    std::vector<stored_checkpoint> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.err();
        if (!*row)
            break;
        auto kind = checkpoint_kind_from_code(st->column_int(1));
        if (!kind)
            return make_error("ledger.corrupt_file", "a checkpoint row is malformed");
        out.push_back({static_cast<std::uint64_t>(st->column_int(0)), *kind, st->column_text(2)});
    }
    return out;
}

}  // namespace ballotbox::ledger
