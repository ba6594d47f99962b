// Ballot secrecy: the box must not reveal cast order, and nothing holds a time finer than
// the cast window.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "ledger/canonical_json.h"
#include "ledger/ledger.h"
#include "tests/ledger/scripted_day.h"
#include "tests/support/temp_dir.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace ballotbox::test_support;
using namespace std::chrono_literals;

TEST_CASE(
    "2,000 ballots: box order is unrelated to cast order, and no time finer than the window") {
    // Under the null hypothesis (box order a uniform random permutation of cast order),
    // Spearman's rho has mean 0 and standard deviation 1/sqrt(n-1) = 0.0224 for n = 2000.
    // The bound 0.1 is 4.5 standard deviations: a random permutation fails it with
    // probability about 7e-6, while any order-preserving or partly order-preserving storage
    // (rowid order, time-ordered keys, a counter in the key) gives rho near 1. The seed is
    // fixed, so the run is repeatable.
    constexpr int n = 2000;
    temp_dir dir("ledger-secrecy");
    manual_clock clock(poll_opening());
    crypto::seeded_random random(2023);
    auto key = test_key(0x11);
    ledger_options lo;
    lo.clock = &clock;
    lo.random = &random;
    lo.window = turnout_window();
    auto l = ledger::ledger::create(dir / "s.ledger", lo, test_genesis(key));
    REQUIRE(l.ok());
    REQUIRE(l->append(event_type::opening, {}).ok());
    REQUIRE(l->append_checkpoint(checkpoint_kind::opening, key).ok());
    std::set<std::int64_t> allowed_starts;
    for (int i = 0; i < n; ++i) {
        clock.advance(std::chrono::microseconds(23'400'000 + i * 7));  // ~13 h over the day
        allowed_starts.insert(lo.window.window_start(clock.now()));
        ballot b;
        b.record = to_bytes("cast#" + std::to_string(i));
        b.booth_signature = bytes(64, 0xAB);
        b.token = to_bytes("token-" + std::to_string(i));
        auto seq = l->append_cast(b);
        REQUIRE_MESSAGE(seq.ok(), (seq.ok() ? "" : seq.err().message));
    }
    auto box = l->ballots();
    REQUIRE(box.ok());
    REQUIRE(box->size() == n);
    double sum_d2 = 0;
    for (int pos = 0; pos < n; ++pos) {
        auto text = std::string(as_chars((*box)[pos].content.record));
        int cast_index = std::stoi(text.substr(5));
        double d = pos - cast_index;
        sum_d2 += d * d;
    }
    double rho = 1.0 - 6.0 * sum_d2 / (double(n) * (double(n) * n - 1.0));
    INFO("Spearman rho = " << rho);
    CHECK(std::fabs(rho) < 0.1);
    // The keys are in order, so the test above really measured box order.
    for (int pos = 1; pos < n; ++pos)
        CHECK((*box)[pos - 1].key < (*box)[pos].key);

    // Every cast body: exactly source and window_start, and the start is a window boundary
    // (07:00, 10:00, ... local), never the cast time itself.
    int casts = 0;
    for (std::uint64_t s = 0; s < l->size(); ++s) {
        auto e = l->read_entry(s);
        REQUIRE(e.ok());
        if (e->type != event_type::cast)
            continue;
        ++casts;
        auto obj = parse_canonical_json(e->body);
        REQUIRE(obj.ok());
        CHECK(obj->size() == 2);
        REQUIRE(obj->contains("window_start"));
        auto start = obj->at("window_start").as_int64();
        CHECK(lo.window.is_window_start(start));
        CHECK(allowed_starts.contains(start));
        CHECK((start - poll_opening().time_since_epoch().count() / 1'000'000) % 3600 == 0);
    }
    CHECK(casts == n);
    CHECK(allowed_starts.size() == 7);  // the day crossed every turnout window
}

TEST_CASE("ballot rows hold only key, record, signature, token and source") {
    temp_dir dir("ledger-secrecy");
    auto day = run_scripted_day(dir / "d.ledger");
    auto db = open_raw(day.file);
    auto st = sqlite::statement::prepare(db, "SELECT name FROM pragma_table_info('ballots')");
    std::vector<std::string> columns;
    while (*st->step())
        columns.push_back(st->column_text(0));
    CHECK(columns ==
          std::vector<std::string>{"box_key", "record", "booth_signature", "token", "source"});
    // WITHOUT ROWID: no hidden rowid that would count insertions.
    auto rowid = sqlite::statement::prepare(db, "SELECT rowid FROM ballots");
    CHECK_FALSE(rowid.ok());
}

TEST_CASE("cast window arithmetic: fixed length and boundaries") {
    auto w = cast_window::fixed(poll_opening(), 2h).value();
    auto t = poll_opening() + 3h + 17min + 3s;
    CHECK(w.window_start(t) == poll_opening().time_since_epoch().count() / 1'000'000 + 7200);
    CHECK(w.window_start(poll_opening() - 1s) ==
          poll_opening().time_since_epoch().count() / 1'000'000 - 7200);
    auto b = turnout_window();
    CHECK(b.window_start(poll_opening() - 1min) == 0);
    CHECK(b.window_start(poll_opening() + 4h) ==
          (poll_opening() + 3h).time_since_epoch().count() / 1'000'000);
    CHECK_FALSE(cast_window::fixed(poll_opening(), 0s).ok());
    CHECK_FALSE(cast_window::from_boundaries({poll_opening(), poll_opening()}).ok());
    CHECK_FALSE(cast_window::from_boundaries({}).ok());
}
