#include "ledger/box_scan.h"

#include <vector>

#include "ledger/ballot_box.h"
#include "ledger/merkle.h"
#include "ledger/statement_cache.h"

namespace ballotbox::ledger {

result<box_scan> scan_box(sqlite::database& db, std::string& bad_key) {
    sqlite::statement_cache statements(db);
    auto part = scan_box_part(statements, std::nullopt, std::nullopt, bad_key);
    if (!part)
        return part.err();
    box_scan out;
    out.ballots = part->leaves.size();
    out.by_source = part->by_source;
    out.root = merkle_root(part->leaves);
    return out;
}

result<box_part> scan_box_part(sqlite::statement_cache& statements,
                               const std::optional<bytes>& lower, const std::optional<bytes>& upper,
                               std::string& bad_key) {
    std::string sql = "SELECT box_key, record, booth_signature, token, source FROM ballots";
    if (lower && upper)
        sql += " WHERE box_key >= ?1 AND box_key < ?2";
    else if (lower)
        sql += " WHERE box_key >= ?1";
    else if (upper)
        sql += " WHERE box_key < ?2";
    sql += " ORDER BY box_key";
    auto prepared = statements.get(sql);
    if (!prepared)
        return prepared.err();
    auto* st = *prepared;
    if (lower)
        st->bind(1, byte_view(*lower));
    if (upper)
        st->bind(2, byte_view(*upper));
    box_part out;
    box_key key{};
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.err();
        if (!*row)
            break;
        // Each column read once, as SQLite holds it (views valid until the next step).
        const auto key_cell = st->column_cell(0);
        const auto record = st->column_cell(1);
        const auto signature = st->column_cell(2);
        const auto token = st->column_cell(3);
        const auto source_cell = st->column_cell(4);
        const auto key_bytes = key_cell.blob;
        bool types_ok = key_cell.type == SQLITE_BLOB && record.type == SQLITE_BLOB &&
                        signature.type == SQLITE_BLOB && token.type == SQLITE_BLOB &&
                        source_cell.type == SQLITE_INTEGER;
        const auto source = source_cell.integer;
        if (!types_ok || key_bytes.size() != key.size() || (source != 0 && source != 1)) {
            bad_key = to_hex(key_cell.type == SQLITE_BLOB ? key_bytes : st->column_blob_view(0));
            return make_error("ledger.bad_ballot_row",
                              "a ballot row is malformed (key of 16 bytes, blobs, source 0 or 1)");
        }
        std::copy(key_bytes.begin(), key_bytes.end(), key.begin());
        const ballot_view b{record.blob, signature.blob, token.blob,
                            static_cast<ballot_source>(source)};
        if (auto s = check_ballot(b); !s) {
            bad_key = to_hex(key);
            return make_error("ledger.bad_ballot_row", s.err().message);
        }
        out.leaves.push_back(ballot_leaf_hash(key, b));
        ++out.by_source[static_cast<std::size_t>(source)];
    }
    return out;
}

std::vector<bytes> box_part_bounds(const std::vector<std::uint32_t>& cuts) {
    std::vector<bytes> bounds;
    for (auto cut : cuts) {
        // The cut's 32 bits as the key's first 4 bytes (plenty of precision for a split).
        bytes key(stored_ballot{}.key.size(), 0);
        for (int b = 0; b < 4; ++b)
            key[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(cut >> (24 - 8 * b));
        bounds.push_back(std::move(key));
    }
    return bounds;
}

}  // namespace ballotbox::ledger
