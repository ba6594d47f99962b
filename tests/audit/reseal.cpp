// The insider's tools of the audit tests (see audit_fixture.h): re-sealing a changed ledger
// with the appliance key, so only the audit's own checks beyond the chain can catch it.
#include <sqlite3.h>

#include "ledger/ballot_box.h"
#include "ledger/bodies.h"
#include "ledger/canonical_json.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "tests/audit/audit_fixture.h"

namespace ballotbox::audit::testing {
namespace {

struct db_handle {
    sqlite3* db = nullptr;
    explicit db_handle(const std::filesystem::path& p) {
        REQUIRE(sqlite3_open_v2(p.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    }
    ~db_handle() {
        sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
        sqlite3_close_v2(db);
    }
};

bytes blob(sqlite3_stmt* st, int col) {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, col));
    return bytes(p, p + sqlite3_column_bytes(st, col));
}

}  // namespace

void set_body(const std::filesystem::path& ledger, std::uint64_t seq, const std::string& body) {
    db_handle h(ledger);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h.db, "UPDATE entries SET body = ? WHERE seq = ?", -1, &st,
                               nullptr) == SQLITE_OK);
    sqlite3_bind_blob(st, 1, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, static_cast<std::int64_t>(seq));
    REQUIRE(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
}

std::string body_of(const std::filesystem::path& ledger, std::uint64_t seq) {
    db_handle h(ledger);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h.db, "SELECT body FROM entries WHERE seq = ?", -1, &st, nullptr) ==
            SQLITE_OK);
    sqlite3_bind_int64(st, 1, static_cast<std::int64_t>(seq));
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    auto b = blob(st, 0);
    sqlite3_finalize(st);
    return std::string(as_chars(b));
}

std::vector<std::uint64_t> seqs_of(const std::filesystem::path& ledger, int type) {
    db_handle h(ledger);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h.db, "SELECT seq FROM entries WHERE type = ? ORDER BY seq", -1, &st,
                               nullptr) == SQLITE_OK);
    sqlite3_bind_int64(st, 1, type);
    std::vector<std::uint64_t> out;
    while (sqlite3_step(st) == SQLITE_ROW)
        out.push_back(static_cast<std::uint64_t>(sqlite3_column_int64(st, 0)));
    sqlite3_finalize(st);
    return out;
}

void reseal(const std::filesystem::path& ledger, const crypto::ed25519_private_key& key) {
    // The box root into the closing entry.
    std::vector<ledger::stored_ballot> box;
    {
        db_handle h(ledger);
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(
                    h.db,
                    "SELECT box_key, record, booth_signature, token, source FROM ballots "
                    "ORDER BY box_key",
                    -1, &st, nullptr) == SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            ledger::stored_ballot b;
            auto k = blob(st, 0);
            std::copy(k.begin(), k.end(), b.key.begin());
            b.content = {blob(st, 1), blob(st, 2), blob(st, 3),
                         static_cast<ledger::ballot_source>(sqlite3_column_int64(st, 4))};
            box.push_back(std::move(b));
        }
        sqlite3_finalize(st);
    }
    auto closing = seqs_of(ledger, 10);
    if (!closing.empty()) {
        auto body = ledger::parse_canonical_json(body_of(ledger, closing[0]));
        REQUIRE(body.ok());
        (*body)["box_root"] = to_hex(ledger::box_root(box));
        (*body)["box_size"] = box.size();
        auto text = ledger::to_canonical_json(*body);
        REQUIRE(text.ok());
        set_body(ledger, closing[0], *text);
    }
    rechain(ledger);
    // Every checkpoint re-signed over the new entries.
    db_handle h(ledger);
    sqlite3_stmt* st = nullptr;
    std::vector<crypto::digest> leaves;
    std::string origin;
    REQUIRE(sqlite3_prepare_v2(h.db, "SELECT seq, body, entry_hash FROM entries ORDER BY seq", -1,
                               &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        crypto::digest d{};
        auto hash = blob(st, 2);
        std::copy(hash.begin(), hash.end(), d.begin());
        leaves.push_back(ledger::entry_leaf_hash(d));
        if (sqlite3_column_int64(st, 0) == 0)
            origin = std::string(
                ledger::parse_genesis_body(std::string(as_chars(blob(st, 1)))).value().origin);
    }
    sqlite3_finalize(st);
    std::vector<std::int64_t> sizes;
    REQUIRE(sqlite3_prepare_v2(h.db, "SELECT tree_size FROM checkpoints", -1, &st, nullptr) ==
            SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        sizes.push_back(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    REQUIRE(sqlite3_prepare_v2(h.db, "UPDATE checkpoints SET note = ? WHERE tree_size = ?", -1, &st,
                               nullptr) == SQLITE_OK);
    for (auto size : sizes) {
        ledger::checkpoint cp{
            origin,
            static_cast<std::uint64_t>(size),
            ledger::merkle_root(std::span(leaves.data(), static_cast<std::size_t>(size))),
            {}};
        auto note = ledger::sign_checkpoint(cp, origin, key);
        sqlite3_bind_text(st, 1, note.data(), static_cast<int>(note.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, size);
        REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

}  // namespace ballotbox::audit::testing
