// statement_cache (ledger/statement_cache.h): one statement per SQL text, handed back reset
// with its bindings cleared, a failed prepare not kept.
#include "ledger/statement_cache.h"

#include <doctest/doctest.h>

using namespace ballotbox;
using namespace ballotbox::ledger;

namespace {

sqlite::database numbers() {
    auto db = sqlite::database::open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "");
    REQUIRE(db.ok());
    REQUIRE(db->exec("CREATE TABLE n(v INTEGER); INSERT INTO n VALUES (1), (2), (3);").ok());
    return std::move(*db);
}

constexpr const char* from = "SELECT v FROM n WHERE v >= ?1 ORDER BY v";

}  // namespace

TEST_CASE("statement_cache: the same text gives the same statement, reset and unbound") {
    auto db = numbers();
    sqlite::statement_cache statements(db);
    auto first = statements.get(from);
    REQUIRE(first.ok());
    (*first)->bind(1, std::int64_t{2});
    auto row = (*first)->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    CHECK((*first)->column_int(0) == 2);

    // Handed back mid-query: it starts again, and the old binding is gone (NULL: no row).
    auto again = statements.get(std::string(from));
    REQUIRE(again.ok());
    CHECK(*again == *first);
    row = (*again)->step();
    REQUIRE(row.ok());
    CHECK_FALSE(*row);

    // Run to its end, then handed back again and bound anew: every row from the start.
    auto third = statements.get(from);
    REQUIRE(third.ok());
    CHECK(*third == *first);
    (*third)->bind(1, std::int64_t{1});
    std::int64_t sum = 0;
    for (;;) {
        auto r = (*third)->step();
        REQUIRE(r.ok());
        if (!*r)
            break;
        sum += (*third)->column_int(0);
    }
    CHECK(sum == 6);
}

TEST_CASE("statement_cache: another text is another statement, a failed prepare is not kept") {
    auto db = numbers();
    sqlite::statement_cache statements(db);
    auto a = statements.get(from);
    auto b = statements.get("SELECT count(*) FROM n");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(*a != *b);
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto bad = statements.get("SELECT v FROM no_such_table");
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.err().message.find("no_such_table") != std::string::npos);
    }
    // The earlier statements are still there, where they were.
    auto a_again = statements.get(from);
    REQUIRE(a_again.ok());
    CHECK(*a_again == *a);
}
