#include "ledger/box_scan.h"

#include <vector>

#include "ledger/ballot_box.h"
#include "ledger/merkle.h"

namespace ballotbox::ledger {

result<box_scan> scan_box(sqlite::database& db, std::string& bad_key) {
    auto st = sqlite::statement::prepare(
        db, "SELECT box_key, record, booth_signature, token, source FROM ballots ORDER BY box_key");
    if (!st)
        return st.err();
    box_scan out;
    std::vector<crypto::digest> leaves;
    stored_ballot b;  // reused row by row: its buffers keep their capacity
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.err();
        if (!*row)
            break;
        auto key = st->column_blob_view(0);
        bool types_ok = st->column_type(0) == SQLITE_BLOB && st->column_type(1) == SQLITE_BLOB &&
                        st->column_type(2) == SQLITE_BLOB && st->column_type(3) == SQLITE_BLOB &&
                        st->column_type(4) == SQLITE_INTEGER;
        auto source = st->column_int(4);
        if (!types_ok || key.size() != b.key.size() || (source != 0 && source != 1)) {
            bad_key = to_hex(key);
            return make_error("ledger.bad_ballot_row",
                              "a ballot row is malformed (key of 16 bytes, blobs, source 0 or 1)");
        }
        std::copy(key.begin(), key.end(), b.key.begin());
        auto assign = [&](bytes& to, int col) {
            auto v = st->column_blob_view(col);
            to.assign(v.begin(), v.end());
        };
        assign(b.content.record, 1);
        assign(b.content.booth_signature, 2);
        assign(b.content.token, 3);
        b.content.source = static_cast<ballot_source>(source);
        if (auto s = check_ballot(b.content); !s) {
            bad_key = to_hex(key);
            return make_error("ledger.bad_ballot_row", s.err().message);
        }
        leaves.push_back(ballot_leaf_hash(b));
        ++out.by_source[static_cast<std::size_t>(source)];
    }
    out.ballots = leaves.size();
    out.root = merkle_root(leaves);
    return out;
}

}  // namespace ballotbox::ledger
