#include "ledger/sqlite.h"

#include <utility>

namespace ballotbox::ledger::sqlite {

error make_sqlite_error(int code, std::string_view what, std::string_view detail) {
    int primary = code & 0xff;
    std::string code_text;
    switch (primary) {
        case SQLITE_FULL:
            code_text = "ledger.disk_full";
            break;
        case SQLITE_IOERR:
            code_text = "ledger.io_error";
            break;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            code_text = "ledger.corrupt_file";
            break;
        case SQLITE_CONSTRAINT:
            code_text = "ledger.constraint";
            break;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            code_text = "ledger.busy";
            break;
        case SQLITE_CANTOPEN:
            code_text = "ledger.cannot_open";
            break;
        default:
            code_text = "ledger.storage_failed";
    }
    std::string message(what);
    message += ": ";
    message += detail.empty() ? std::string(sqlite3_errstr(code)) : std::string(detail);
    message += " (SQLite code " + std::to_string(code) + ")";
    if (primary == SQLITE_FULL)
        message += "; free space on the ledger's disk before the next append";
    return make_error(std::move(code_text), std::move(message));
}

namespace {
// SQLite's memory statistics (on by default) take one process-wide mutex on every allocation
// it makes, which serialises connections read on different threads (verify.h reads a big
// ledger on several): profiled at a fifth of a two-thread verify's time in futex calls. No
// part of ballotbox reads those statistics. The setting is only accepted before SQLite
// initialises, so it is made once, before the first connection; if SQLite was already
// initialised by someone else it stays as it was (only slower).
void configure_sqlite_once() {
    static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)configured;
}
}  // namespace

result<database> database::open(const std::string& name, int flags, const std::string& vfs) {
    configure_sqlite_once();
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(name.c_str(), &raw, flags, vfs.empty() ? nullptr : vfs.c_str());
    database db(raw);
    if (rc != SQLITE_OK) {
        std::string detail = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        return make_sqlite_error(rc, "cannot open ledger file " + name, detail);
    }
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

database& database::operator=(database&& other) noexcept {
    if (this != &other) {
        if (db_ != nullptr)
            sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

database::~database() {
    if (db_ != nullptr)
        sqlite3_close_v2(db_);
}

status database::exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string detail = message != nullptr ? message : "";
        sqlite3_free(message);
        return make_sqlite_error(sqlite3_extended_errcode(db_), "SQL failed (" + sql + ")", detail);
    }
    return ok_status();
}

error database::last_error(std::string_view what) const {
    return make_sqlite_error(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

result<statement> statement::prepare(database& db, std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(raw);
        return db.last_error("cannot prepare SQL (" + std::string(sql) + ")");
    }
    return statement(db.get(), raw);
}

statement& statement::operator=(statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

statement::~statement() {
    sqlite3_finalize(stmt_);
}

statement& statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

statement& statement::bind(int index, byte_view value) {
    // A zero-length blob still binds as a blob (not NULL): pass a non-null pointer.
    static const std::uint8_t empty = 0;
    sqlite3_bind_blob64(stmt_, index, value.empty() ? &empty : value.data(), value.size(),
                        SQLITE_TRANSIENT);
    return *this;
}

statement& statement::bind_text(int index, std::string_view value) {
    sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

result<bool> statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    std::string sql = sqlite3_sql(stmt_) != nullptr ? sqlite3_sql(stmt_) : "";
    return make_sqlite_error(sqlite3_extended_errcode(db_), "SQL step failed (" + sql + ")",
                             sqlite3_errmsg(db_));
}

status statement::run() {
    auto r = step();
    if (!r)
        return r.err();
    return ok_status();
}

void statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bytes statement::column_blob(int col) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    int size = sqlite3_column_bytes(stmt_, col);
    if (data == nullptr || size <= 0)
        return {};
    return bytes(data, data + size);
}

std::string statement::column_text(int col) const {
    const auto* data = sqlite3_column_text(stmt_, col);
    int size = sqlite3_column_bytes(stmt_, col);
    if (data == nullptr || size <= 0)
        return {};
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

result<transaction> transaction::begin(database& db) {
    BALLOTBOX_TRY(db.exec("BEGIN IMMEDIATE"));
    transaction t(db);
    t.active_ = true;
    return t;
}

transaction::~transaction() {
    if (active_)
        (void)rollback();
}

status transaction::commit() {
    if (!active_)
        return make_error("ledger.storage_failed", "commit of a finished transaction");
    auto s = db_->exec("COMMIT");
    if (s) {
        active_ = false;
        return s;
    }
    // SQLite may have rolled back by itself (SQLITE_FULL, some IOERRs); roll back if not.
    if (sqlite3_get_autocommit(db_->get()) == 0)
        (void)rollback();
    active_ = false;
    return s;
}

status transaction::rollback() {
    if (!active_)
        return ok_status();
    active_ = false;
    if (sqlite3_get_autocommit(db_->get()) != 0)
        return ok_status();
    return db_->exec("ROLLBACK");
}

}  // namespace ballotbox::ledger::sqlite
