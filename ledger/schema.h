// schema: the ledger file's SQLite schema (version 1), its creation, and the check that a
// file holds exactly this schema and nothing else.
//
// The check compares the file's sqlite_schema rows (type, name, table, SQL text) with those
// of a fresh in-memory database made by the same DDL, so an extra table, index, view or
// trigger, or an altered column, is reported as tampering. It also checks application_id,
// user_version and the fixed rows of the meta table. docs/ledger-format.md lists the DDL.
//
// Thread safety: as the database passed in. create_schema runs inside the caller's
// transaction; on failure the caller rolls back.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "ledger/sqlite.h"

namespace ballotbox::ledger {

inline constexpr std::int64_t ledger_application_id = 0x42424C31;  // "BBL1"
inline constexpr std::int64_t ledger_user_version = 1;
inline constexpr const char* ledger_format_name = "ballotbox-ledger";
inline constexpr const char* ledger_format_version = "1";

// Creates the tables, the meta rows, application_id and user_version in an empty database.
status create_schema(sqlite::database& db);

// Errors: "ledger.not_a_ledger" (application_id differs: some other SQLite file),
// "ledger.unsupported_version" (user_version differs), "ledger.schema_mismatch" (an object
// missing, added or altered; the message names it), "ledger.meta_mismatch" (meta rows).
status check_schema(sqlite::database& db);

}  // namespace ballotbox::ledger
