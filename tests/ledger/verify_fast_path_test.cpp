// verify()'s fast paths give exactly the full paths' answers: the body recognisers never accept
// what the canonical-JSON parser refuses, the streamed entry hash equals the documented input
// hashed whole, and walk_entry sees every entry once.
#include <doctest/doctest.h>

#include "crypto/random.h"
#include "ledger/bodies.h"
#include "ledger/canonical_json.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "ledger/verify.h"
#include "ledger/verify_bodies.h"
#include "tests/ledger/scripted_day.h"
#include "tests/support/temp_dir.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace ballotbox::test_support;

namespace {

// Bodies around the fast paths' edges: accepted, declined and malformed ones.
const char* const bodies[] = {
    R"({})",
    R"({"style":0})",
    R"({"reason":4})",
    R"({"confirmed_by":"operator"})",
    R"({"cast":1155,"hour":5})",
    R"({"a":true,"b":false,"c":null,"d":-7,"e":"x y"})",
    R"({"source":0,"window_start":1679187600})",
    R"({"source":1,"window_start":-5})",
    R"({"source":1,"window_start":0})",
    R"({"source":2,"window_start":0})",
    R"({"source":0,"window_start":-0})",
    R"({"source":0,"window_start":01})",
    R"({"source":0,"window_start":1.5})",
    R"({"source":0,"window_start":123456789012345678})",
    R"({"source":0,"window_start":1234567890123456789})",
    R"({"source":0,"window_start":99999999999999999999})",
    R"({"window_start":0,"source":0})",
    R"({"source":0,"window_start":0,"x":1})",
    R"({"source":0, "window_start":0})",
    R"({"source":0,"window_start":0} )",
    R"({"source":0,"window_start":0)",
    R"({"source":"0","window_start":0})",
    R"({"b":1,"a":2})",
    R"({"a":1,"a":1})",
    R"({"a":"\u0041"})",
    R"({"a":"\n"})",
    R"({"a":"é"})",
    R"({"a":[1]})",
    R"({"a":{"b":1}})",
    R"({"a":1,})",
    R"({"a"})",
    R"({"a":})",
    R"({"a":tru})",
    R"({"a":-})",
    R"({"a":1e3})",
    R"([1])",
    R"("text")",
    R"({)",
    "",
};

}  // namespace

TEST_CASE("the flat-object recogniser accepts only texts the canonical parser accepts") {
    int accepted = 0;
    for (const char* text : bodies) {
        INFO(text);
        if (is_flat_canonical_object(text)) {
            ++accepted;
            CHECK(static_cast<bool>(parse_canonical_json(text)));
        }
    }
    CHECK(accepted >= 8);  // the common bodies take the fast path
    CHECK(is_flat_canonical_object(R"({"style":0})"));
    CHECK_FALSE(is_flat_canonical_object(R"({"b":1,"a":2})"));
    CHECK_FALSE(is_flat_canonical_object(R"({"a":-0})"));
}

TEST_CASE("the cast recogniser agrees with parse_cast_body wherever it answers") {
    int accepted = 0;
    for (const char* text : bodies) {
        INFO(text);
        auto fast = fast_cast_body(text);
        auto full = parse_cast_body(text);
        if (fast) {
            ++accepted;
            REQUIRE(static_cast<bool>(full));
            CHECK(fast->source == full->source);
            CHECK(fast->window_start == full->window_start);
        }
    }
    CHECK(accepted == 4);
    CHECK_FALSE(fast_cast_body(R"({"source":0,"window_start":1234567890123456789})"));
}

TEST_CASE("the streamed entry hash is SHA-256 of the documented input") {
    crypto::sha256_hasher hasher;
    crypto::digest prev{};
    for (std::uint64_t seq = 0; seq < 40; ++seq) {
        std::string body = "{\"n\":" + std::to_string(seq * 977) + "}";
        auto want = crypto::sha256(entry_hash_input(seq, 3, body, prev));
        CHECK(compute_entry_hash(hasher, seq, 3, body, prev) == want);
        CHECK(compute_entry_hash(seq, 3, body, prev) == want);
        prev = want;
    }
}

TEST_CASE("walk_entry sees every entry of a verified ledger once, in order, with its leaf hash") {
    temp_dir dir{"ledger-on-entry"};
    auto day = run_scripted_day(dir / "day.ledger");
    std::vector<digest> leaves;
    std::uint64_t casts = 0;
    std::size_t passes = 0;
    verify_options options;
    options.threads = 1;
    options.begin_walk = [&](std::size_t ranges) {
        CHECK(ranges == 1);
        ++passes;
    };
    options.walk_entry = [&](std::size_t range, const verified_entry& e) {
        CHECK(range == 0);
        CHECK(e.seq == leaves.size());
        CHECK(e.leaf_hash == entry_leaf_hash(e.entry_hash));
        if (e.type == event_type::cast)
            ++casts;
        leaves.push_back(e.leaf_hash);
    };
    auto report = verify(day.file, options);
    REQUIRE(report.complete());
    CHECK(passes == 1);
    CHECK(leaves.size() == day.entries);
    CHECK(casts == day.casts);
    CHECK(report.root == merkle_root(leaves));
}

TEST_CASE("open_read_only with verify options hands back the full report, pass or fail") {
    temp_dir dir{"ledger-open-report"};
    auto day = run_scripted_day(dir / "day.ledger");
    verify_report report;
    auto book = ledger::ledger::open_read_only(day.file, {}, verify_options{}, report);
    REQUIRE(static_cast<bool>(book));
    CHECK(report.complete());
    CHECK(report.entries == book->size());

    exec_raw(day.file,
             "UPDATE entries SET body = CAST('{\"style\":9}' AS BLOB) WHERE type = 3 AND seq = "
             "(SELECT min(seq) FROM entries WHERE type = 3)");
    auto first_issue = query_int(day.file, "SELECT min(seq) FROM entries WHERE type = 3");
    verify_report bad;
    auto refused = ledger::ledger::open_read_only(day.file, {}, verify_options{}, bad);
    CHECK_FALSE(static_cast<bool>(refused));
    CHECK(bad.outcome == verify_outcome::failed);
    REQUIRE(bad.seq.has_value());
    CHECK(*bad.seq == static_cast<std::uint64_t>(first_issue));
}
