// ledger_file: how a ledger file is opened, for writing and for reading.
//
// For writing: sqlite3_open_v2 with READWRITE (and CREATE only when creating), through the
// VFS the caller names (empty = default), then journal_mode=WAL, synchronous=FULL,
// foreign_keys=ON. For reading: the file: URI with immutable=1 (no locks, no journal, SQLite
// never writes anything) when no write-ahead log is next to the file; if a non-empty
// "<file>-wal" exists (the writer is still open, or it stopped without closing) the URI is
// mode=ro instead, so committed transactions still in the log are seen; the main file's
// bytes are still never written. Only a regular file is opened for reading: a FIFO would
// block the open until something writes to it.
//
// Thread safety: none (returns a connection for one thread).
#pragma once

#include <filesystem>
#include <string>

#include "ledger/sqlite.h"

namespace ballotbox::ledger {

// Errors: "ledger.cannot_open" / storage errors from SQLite, with the path in the message.
result<sqlite::database> open_file_for_writing(const std::filesystem::path& path, bool create,
                                               const std::string& vfs);
result<sqlite::database> open_file_for_reading(const std::filesystem::path& path,
                                               const std::string& vfs);

// The file: URI for path with the given query ("immutable=1"), percent-encoded.
std::string file_uri(const std::filesystem::path& path, const std::string& query);

}  // namespace ballotbox::ledger
