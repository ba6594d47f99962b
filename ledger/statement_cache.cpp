#include "ledger/statement_cache.h"

namespace ballotbox::ledger::sqlite {

result<statement*> statement_cache::get(std::string_view sql) {
    for (auto& [text, st] : statements_) {
        if (text == sql) {
            st.reset();
            return &st;
        }
    }
    auto st = statement::prepare(db_, sql);
    if (!st)
        return st.err();
    statements_.emplace_back(std::string(sql), std::move(*st));
    return &statements_.back().second;
}

}  // namespace ballotbox::ledger::sqlite
