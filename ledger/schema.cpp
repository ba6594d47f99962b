#include "ledger/schema.h"

#include <map>
#include <tuple>
#include <vector>

namespace ballotbox::ledger {
namespace {

constexpr const char* ddl =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;"
    "CREATE TABLE entries(seq INTEGER PRIMARY KEY, type INTEGER NOT NULL, body BLOB NOT NULL, "
    "prev_hash BLOB NOT NULL, entry_hash BLOB NOT NULL) STRICT;"
    "CREATE TABLE ballots(box_key BLOB PRIMARY KEY, record BLOB NOT NULL, "
    "booth_signature BLOB NOT NULL, token BLOB NOT NULL UNIQUE, source INTEGER NOT NULL) "
    "STRICT, WITHOUT ROWID;"
    "CREATE TABLE checkpoints(tree_size INTEGER PRIMARY KEY, kind INTEGER NOT NULL, "
    "note TEXT NOT NULL) STRICT;";

using schema_row = std::tuple<std::string, std::string, std::string, std::string>;

result<std::map<std::string, schema_row>> read_schema(sqlite::database& db) {
    auto st = sqlite::statement::prepare(
        db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name");
    if (!st)
        return st.err();
    std::map<std::string, schema_row> rows;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.err();
        if (!*row)
            break;
        schema_row r{st->column_text(0), st->column_text(1), st->column_text(2),
                     st->column_is_null(3) ? std::string("(null)") : st->column_text(3)};
        rows.emplace(std::get<1>(r), std::move(r));
    }
    return rows;
}

result<std::int64_t> pragma_int(sqlite::database& db, const char* name) {
    auto st = sqlite::statement::prepare(db, std::string("PRAGMA ") + name);
    if (!st)
        return st.err();
    auto row = st->step();
    if (!row)
        return row.err();
    if (!*row)
        return make_error("ledger.storage_failed", std::string("PRAGMA ") + name);
    return st->column_int(0);
}

// The schema rows of a fresh ledger, made once per process from the DDL in an in-memory
// database (they are constants; making them cost a fifth of verifying a small ledger).
const result<std::map<std::string, schema_row>>& reference_schema() {
    static const result<std::map<std::string, schema_row>> rows =
        []() -> result<std::map<std::string, schema_row>> {
        auto reference = sqlite::database::open(":memory:", SQLITE_OPEN_READWRITE, "");
        if (!reference)
            return reference.err();
        if (auto s = reference->exec(ddl); !s)
            return s.err();
        return read_schema(*reference);
    }();
    return rows;
}

}  // namespace

status create_schema(sqlite::database& db) {
    BALLOTBOX_TRY(db.exec(ddl));
    BALLOTBOX_TRY(db.exec("PRAGMA application_id = " + std::to_string(ledger_application_id)));
    BALLOTBOX_TRY(db.exec("PRAGMA user_version = " + std::to_string(ledger_user_version)));
    auto st = sqlite::statement::prepare(db, "INSERT INTO meta(key, value) VALUES (?1, ?2)");
    if (!st)
        return st.err();
    st->bind_text(1, "format").bind_text(2, ledger_format_name);
    BALLOTBOX_TRY(st->run());
    st->reset();
    st->bind_text(1, "format_version").bind_text(2, ledger_format_version);
    return st->run();
}

status check_schema(sqlite::database& db) {
    auto app = pragma_int(db, "application_id");
    if (!app)
        return app.err();
    if (*app != ledger_application_id)
        return make_error("ledger.not_a_ledger",
                          "this SQLite file is not a ballotbox ledger (application_id " +
                              std::to_string(*app) + ", expected " +
                              std::to_string(ledger_application_id) + ")");
    auto version = pragma_int(db, "user_version");
    if (!version)
        return version.err();
    if (*version != ledger_user_version)
        return make_error("ledger.unsupported_version",
                          "ledger format version " + std::to_string(*version) +
                              " is not supported (this program reads version " +
                              std::to_string(ledger_user_version) + ")");

    const auto& expected = reference_schema();
    if (!expected)
        return expected.err();
    auto found = read_schema(db);
    if (!found)
        return found.err();
    for (const auto& [name, row] : *expected) {
        auto it = found->find(name);
        if (it == found->end())
            return make_error("ledger.schema_mismatch",
                              "schema object " + name + " is missing from the ledger file");
        if (it->second != row)
            return make_error("ledger.schema_mismatch", "schema object " + name +
                                                            " is altered: expected \"" +
                                                            std::get<3>(row) + "\", found \"" +
                                                            std::get<3>(it->second) + "\"");
    }
    for (const auto& [name, row] : *found)
        if (!expected->contains(name))
            return make_error("ledger.schema_mismatch",
                              "the ledger file holds an unexpected " + std::get<0>(row) + " " +
                                  name +
                                  " (tampering: the ledger has only the tables meta, "
                                  "entries, ballots, checkpoints)");

    auto st = sqlite::statement::prepare(db, "SELECT key, value FROM meta ORDER BY key");
    if (!st)
        return st.err();
    std::vector<std::pair<std::string, std::string>> meta;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.err();
        if (!*row)
            break;
        if (st->column_type(0) != SQLITE_TEXT || st->column_type(1) != SQLITE_TEXT)
            return make_error("ledger.meta_mismatch", "meta holds a non-text value");
        meta.emplace_back(st->column_text(0), st->column_text(1));
    }
    const std::vector<std::pair<std::string, std::string>> expected_meta = {
        {"format", ledger_format_name}, {"format_version", ledger_format_version}};
    if (meta != expected_meta) {
        std::string text;
        for (const auto& [k, v] : meta)
            text += k + "=" + v + " ";
        return make_error("ledger.meta_mismatch",
                          "table meta must hold exactly format=ballotbox-ledger "
                          "format_version=1; found " +
                              (text.empty() ? std::string("nothing") : text));
    }
    return ok_status();
}

}  // namespace ballotbox::ledger
