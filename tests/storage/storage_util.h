// Helpers for the storage tests: a scratch directory removed on scope exit, whole-file
// reads, and a raw SQLite connection owner for the tests that run on plain SQLite.
#pragma once

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/bytes.h"

namespace ballotbox::storage_test {

class scratch_dir {
  public:
    scratch_dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "ballotbox-storage-XXXXXX").string();
        char* made = ::mkdtemp(pattern.data());
        if (made == nullptr)
            std::abort();
        path_ = made;
    }
    ~scratch_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    // Removes every file in it (a fresh start for the next scenario).
    void empty() const {
        for (const auto& e : std::filesystem::directory_iterator(path_))
            std::filesystem::remove_all(e.path());
    }

  private:
    std::filesystem::path path_;
};

// A raw sqlite3 connection closed on scope exit.
class raw_db {
  public:
    raw_db(const std::string& path, const char* vfs,
           int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) {
        rc_ = sqlite3_open_v2(path.c_str(), &db_, flags, vfs);
    }
    ~raw_db() { close(); }
    raw_db(const raw_db&) = delete;
    raw_db& operator=(const raw_db&) = delete;
    void close() {
        if (db_ != nullptr)
            sqlite3_close_v2(db_);
        db_ = nullptr;
    }
    int open_rc() const { return rc_; }
    sqlite3* get() const { return db_; }
    int exec(const std::string& sql) const {
        return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    }
    // The first column of the first row as text ("" if none or on error).
    std::string text(const std::string& sql) const {
        sqlite3_stmt* stmt = nullptr;
        std::string out;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW) {
            const auto* t = sqlite3_column_text(stmt, 0);
            if (t != nullptr)
                out = reinterpret_cast<const char*>(t);
        }
        sqlite3_finalize(stmt);
        return out;
    }
    long long integer(const std::string& sql) const {
        sqlite3_stmt* stmt = nullptr;
        long long out = -1;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW)
            out = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        return out;
    }

  private:
    sqlite3* db_ = nullptr;
    int rc_ = SQLITE_ERROR;
};

}  // namespace ballotbox::storage_test
