// ledger::in_transaction: the one place where an append's SQLite transaction is begun,
// committed or rolled back. Private to the ledger library (ledger.cpp, ledger_import.cpp).
//
// `write` runs between BEGIN and COMMIT and returns a result; the transaction commits only
// if it succeeded. A failure to begin, a failed `write` (rolled back: nothing of it stays in
// the file) and a failed COMMIT (whether it reached the disk is unknown until the file is
// reopened) are each noted with note_failure, which drops the pending entry hash and, where
// the file's state is uncertain, makes the ledger refuse further appends until reopened.
// The caller updates its in-memory state (commit_entry) only after a success.
#pragma once

#include "ledger/ledger.h"

namespace ballotbox::ledger {

template <class Write>
auto ledger::in_transaction(Write&& write) -> std::invoke_result_t<Write&> {
    auto tx = sqlite::transaction::begin(db_);
    if (!tx) {
        note_failure(false);
        return tx.err();
    }
    auto out = write();
    if (!out.ok()) {
        (void)tx->rollback();
        note_failure(false);
        return out;
    }
    if (auto committed = tx->commit(); !committed.ok()) {
        note_failure(true);
        return committed.err();
    }
    return out;
}

}  // namespace ballotbox::ledger
