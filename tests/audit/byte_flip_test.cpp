// Random byte flips anywhere in the SQLite file (seeded): the audit never crashes, and it
// reports a flipped file as verified only when the flip hit bytes SQLite does not use, i.e.
// when every table's rows (and the schema, ids and integrity check) read exactly as before.
#include <doctest/doctest.h>

#include "audit/audit.h"
#include "tests/audit/audit_fixture.h"

using namespace ballotbox;
using namespace ballotbox::audit;
using namespace ballotbox::audit::testing;

TEST_CASE(
    "2000 seeded random byte flips: no crash, never verified unless the content is unchanged") {
    audit_day d(
        day_options{.voters = 12, .cancels = 1, .outstanding = 1, .close = true, .seed = 17});
    const auto original = read_text(d.ledger_path());
    const auto logical = logical_content(d.ledger_path());
    REQUIRE(original.size() > 4096);
    auto target = d.dir.path() / "flipped.sqlite";
    auto in = d.inputs(target);
    in.threads = 1;
    crypto::seeded_random rnd(20261122);
    int verified = 0, caught = 0, unusable_count = 0;
    for (int i = 0; i < 2000; ++i) {
        auto bytes = original;
        auto at = static_cast<std::size_t>(rnd.uniform(bytes.size()));
        auto mask = static_cast<char>(1 + rnd.uniform(255));
        bytes[at] = static_cast<char>(bytes[at] ^ mask);
        write_text(target, bytes);
        // Every fourth flip also with the chain walked in ranges (audit_fixture.h).
        auto r = i % 4 == 0 ? run_both(in) : run(in);
        if (r.result == outcome::verified) {
            ++verified;
            INFO("flip at byte ", at, " mask ", static_cast<int>(static_cast<unsigned char>(mask)));
            auto now = logical_content(target);
            if (now != logical) {
                std::size_t i = 0;
                while (i < now.size() && i < logical.size() && now[i] == logical[i])
                    ++i;
                auto from = i > 200 ? i - 200 : 0;
                FAIL_CHECK("verified, but the content differs here: before ..."
                           << logical.substr(from, 300) << "... after ..."
                           << now.substr(from, 300));
            }
        } else {
            (r.result == outcome::unusable ? unusable_count : caught) += 1;
            CHECK(r.first_failure.has_value());
        }
    }
    MESSAGE("verified (unused bytes) ", verified, ", caught ", caught, ", unusable ",
            unusable_count);
    // A good part of the file is SQLite's free space and slack; the rest must be caught.
    CHECK(caught + unusable_count >= 400);
}
