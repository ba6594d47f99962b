// sqlite: RAII owners for the SQLite C API handles the ledger uses, with errors as values.
//
// database owns one sqlite3 connection (closed with sqlite3_close_v2 when destroyed);
// statement owns one prepared sqlite3_stmt (finalized when destroyed) and must not outlive
// its database; transaction is a scope guard that rolls back unless commit() succeeded.
// SQLite result codes become ballotbox errors carrying SQLite's own message: SQLITE_FULL is
// "ledger.disk_full", any SQLITE_IOERR* is "ledger.io_error", SQLITE_CORRUPT / SQLITE_NOTADB
// are "ledger.corrupt_file", a constraint violation is "ledger.constraint", SQLITE_BUSY /
// SQLITE_LOCKED (another writer holds the file) "ledger.busy", SQLITE_CANTOPEN
// "ledger.cannot_open", anything else is "ledger.storage_failed".
//
// The first database::open turns SQLite's memory statistics off for the process (they
// serialise every allocation of every connection on one mutex).
//
// Thread safety: none; one thread uses a connection and its statements at a time. A failed
// call leaves the connection usable unless SQLite itself says otherwise (see transaction).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::ledger::sqlite {

// Maps a SQLite result code (extended or primary) to a ballotbox error.
error make_sqlite_error(int code, std::string_view what, std::string_view detail);

class database {
  public:
    database() = default;
    // flags as sqlite3_open_v2; vfs empty = the default VFS. `name` may be a file: URI when
    // flags contain SQLITE_OPEN_URI.
    static result<database> open(const std::string& name, int flags, const std::string& vfs);

    database(database&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    database& operator=(database&& other) noexcept;
    database(const database&) = delete;
    database& operator=(const database&) = delete;
    ~database();

    sqlite3* get() const { return db_; }
    bool is_open() const { return db_ != nullptr; }

    // Runs one or more SQL statements that return no rows of interest.
    status exec(const std::string& sql);
    error last_error(std::string_view what) const;

  private:
    explicit database(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
};

class statement {
  public:
    static result<statement> prepare(database& db, std::string_view sql);

    statement(statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
        other.stmt_ = nullptr;
    }
    statement& operator=(statement&& other) noexcept;
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement();

    // Parameters are 1-based, as in SQLite. Blobs and text are copied (SQLITE_TRANSIENT).
    statement& bind(int index, std::int64_t value);
    statement& bind(int index, byte_view value);
    statement& bind_text(int index, std::string_view value);

    // Advances: true = a row is available, false = done, error = the step failed.
    result<bool> step();
    // Steps a statement expected to return no row.
    status run();
    void reset();

    int column_type(int col) const { return sqlite3_column_type(stmt_, col); }
    std::int64_t column_int(int col) const { return sqlite3_column_int64(stmt_, col); }
    bytes column_blob(int col) const;
    std::string column_text(int col) const;
    bool column_is_null(int col) const { return column_type(col) == SQLITE_NULL; }
    // The same values without a copy: valid only until the next step(), reset() or another
    // column call on the same column (verify's hot loop reads them this way).
    byte_view column_blob_view(int col) const {
        const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
        int size = sqlite3_column_bytes(stmt_, col);
        return data == nullptr || size <= 0 ? byte_view{}
                                            : byte_view(data, static_cast<std::size_t>(size));
    }
    std::string_view column_text_view(int col) const {
        const auto* data = sqlite3_column_text(stmt_, col);
        int size = sqlite3_column_bytes(stmt_, col);
        return data == nullptr || size <= 0 ? std::string_view{}
                                            : std::string_view(reinterpret_cast<const char*>(data),
                                                               static_cast<std::size_t>(size));
    }

    // One column of the current row as SQLite holds it, read with one column call: its type
    // and, for a BLOB its bytes (a view, valid until the next step() or reset()), for an
    // INTEGER its value. Other types give only the type. A hot loop reads each column once
    // this way instead of a type call and then a value call (each column_* call enters and
    // leaves the connection's API guard). SQLite calls the value it hands over
    // "unprotected": safe here, where one thread uses the connection at a time.
    struct cell {
        int type = SQLITE_NULL;
        byte_view blob;
        std::int64_t integer = 0;
    };
    cell column_cell(int col) const {
        sqlite3_value* value = sqlite3_column_value(stmt_, col);
        cell out;
        out.type = sqlite3_value_type(value);
        if (out.type == SQLITE_BLOB) {
            const auto* data = static_cast<const std::uint8_t*>(sqlite3_value_blob(value));
            int size = sqlite3_value_bytes(value);
            if (data != nullptr && size > 0)
                out.blob = byte_view(data, static_cast<std::size_t>(size));
        } else if (out.type == SQLITE_INTEGER) {
            out.integer = sqlite3_value_int64(value);
        }
        return out;
    }

  private:
    statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction via begin(); ROLLBACK in the destructor unless committed.
class transaction {
  public:
    static result<transaction> begin(database& db);
    transaction(transaction&& other) noexcept : db_(other.db_), active_(other.active_) {
        other.active_ = false;
    }
    transaction& operator=(transaction&&) = delete;
    transaction(const transaction&) = delete;
    ~transaction();

    // COMMIT. On failure the transaction is rolled back (if SQLite has not already done so)
    // and the error returned; whether the commit reached the disk is then unknown until the
    // file is reopened, which the caller must treat accordingly.
    status commit();
    // Explicit ROLLBACK; reports whether it worked.
    status rollback();

  private:
    explicit transaction(database& db) : db_(&db) {}
    database* db_;
    bool active_ = false;
};

}  // namespace ballotbox::ledger::sqlite
