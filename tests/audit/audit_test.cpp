// The audit of an untouched poll day: verified with every check listed, the figures, the
// protocol and printed checkpoint accepted, the file left byte-for-byte as it was, and the
// command's exit codes and JSON.
#include <doctest/doctest.h>

#include <array>
#include <cstdlib>
#include <sstream>

#include "audit/audit_context.h"
#include "audit/box_order.h"
#include "audit/cli.h"
#include "tests/audit/audit_fixture.h"

using namespace ballotbox;
using namespace ballotbox::audit;
using namespace ballotbox::audit::testing;

namespace {
struct file_state {
    std::string bytes;
    bool wal = false, shm = false;
    friend bool operator==(const file_state&, const file_state&) = default;
};
file_state state_of(const std::filesystem::path& p) {
    return {read_text(p), std::filesystem::exists(p.string() + "-wal"),
            std::filesystem::exists(p.string() + "-shm")};
}

int cli(std::vector<std::string> args, std::string& out) {
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    std::ostringstream o, e;
    int rc = run_audit(static_cast<int>(argv.size()), argv.data(), o, e);
    out = o.str() + e.str();
    return rc;
}
}  // namespace

TEST_CASE("an untouched day verifies, lists every check and re-derives the figures") {
    audit_day d;
    auto exported = d.export_protocol();
    auto in = d.inputs();
    in.protocol_dir = exported;
    in.checkpoint = exported / "checkpoint.txt";
    std::vector<std::string> seen;
    in.on_check = [&](const check_line& c) { seen.push_back(c.id); };
    auto before = state_of(d.ledger_path());
    auto r = run(in);
    INFO(to_text(r));
    CHECK(r.result == outcome::verified);
    auto again = in;
    again.on_check = nullptr;
    for (unsigned ranges : {2u, 5u})
        CHECK(run_both(again, ranges).result == outcome::verified);
    CHECK(r.exit_code() == 0);
    CHECK_FALSE(r.first_failure.has_value());
    for (const auto& c : r.checks)
        CHECK_MESSAGE(c.state == check_state::passed, c.id);
    for (const char* id :
         {"package_signature", "chain", "checkpoints", "box_root", "trusted_checkpoint", "genesis",
          "checkpoint_consistency", "turnout", "closing", "booth_signatures",
          "checkpoint_signatures", "issue_macs", "tokens_used_once", "counts", "box_order", "tally",
          "protocol", "complete"})
        CHECK_MESSAGE(std::find(seen.begin(), seen.end(), id) != seen.end(), id);
    // The scripted day: 40 voters cast, 3 cards cancelled, 1 issued and never returned.
    CHECK(r.counts.cast == 40);
    CHECK(r.counts.cancelled == 3);
    CHECK(r.counts.issued == 44);
    CHECK(r.counts.outstanding == 1);
    CHECK(r.counts.ballots_in_box == 40);
    CHECK(r.counts.booth_signatures_verified == 40);
    CHECK(r.counts.issue_macs_verified == 40);
    CHECK(r.counts.turnout_reports >= 6);
    CHECK(r.counts.checkpoint_signatures_verified == r.counts.checkpoints);
    REQUIRE_FALSE(r.tally.empty());
    std::int64_t votes = r.tally[0].against_all + r.tally[0].blank;
    for (const auto& [id, v] : r.tally[0].options)
        votes += v;
    CHECK(votes == r.tally[0].cast);
    // Read-only: the bytes and the absence of -wal/-shm are unchanged.
    CHECK(state_of(d.ledger_path()) == before);
    CHECK_FALSE(before.wal);
    CHECK_FALSE(before.shm);

    // With BALLOTBOX_AUDIT_SEEDS=DIR, this day's inputs are written there as seeds of the
    // audit_inputs fuzz target (first byte = the input kind, tests/fuzz/audit_inputs_fuzz.cpp).
    if (const char* seeds = std::getenv("BALLOTBOX_AUDIT_SEEDS")) {
        std::filesystem::create_directories(seeds);
        write_text(std::filesystem::path(seeds) / "protocol-json",
                   std::string(1, '\0') + read_text(exported / "protocol.json"));
        write_text(std::filesystem::path(seeds) / "qr-texts", std::string(1, '\1') + d.qr_text());
        std::string keys(1, '\2');
        for (int i = 0; i < 40 * 16; ++i)
            keys += static_cast<char>(i * 37 + 11);
        write_text(std::filesystem::path(seeds) / "box-keys", keys);
        write_text(std::filesystem::path(seeds) / "ledger-file",
                   std::string(1, '\3') + read_text(d.ledger_path()));
    }
}

TEST_CASE("the command: exit codes, text and JSON output, --help") {
    audit_day d(day_options{.voters = 8, .cancels = 1, .outstanding = 0, .close = true, .seed = 5});
    std::string out;
    CHECK(cli({"audit", "--ledger", d.ledger_path(), "--package", d.package_path(),
               "--commission-key", d.commission_path()},
              out) == 0);
    CHECK(out.find("[ok] every ballot's booth key is in the package") != std::string::npos);
    CHECK(out.find("Result: verified") != std::string::npos);
    CHECK(cli({"audit", "--ledger", d.ledger_path(), "--package", d.package_path(),
               "--commission-key", d.commission_path(), "--json"},
              out) == 0);
    auto json = boost::json::parse(out).as_object();
    CHECK(json.at("outcome").as_string() == "verified");
    CHECK(json.at("figures").at("cast").as_int64() == 8);
    CHECK(cli({"audit", "--help"}, out) == 0);
    CHECK(out.find("Exit codes") != std::string::npos);
    CHECK(cli({"audit", "--ledger", "/nonexistent"}, out) == 2);
    CHECK(cli({"audit", "--bogus"}, out) == 2);
    CHECK(cli({"audit", "--ledger", (d.dir.path() / "none.sqlite").string(), "--package",
               d.package_path(), "--commission-key", d.commission_path(), "--json"},
              out) == 2);
    CHECK(boost::json::parse(out).at("failure").at("check").as_string() == "inputs");
    // Tampered: exit 1, and the JSON names the place.
    auto copy = copy_ledger(d.ledger_path(), "t.sqlite");
    run_sql(copy, "UPDATE entries SET entry_hash = zeroblob(32) WHERE seq = 3");
    CHECK(cli({"audit", "--ledger", copy, "--package", d.package_path(), "--commission-key",
               d.commission_path(), "--json"},
              out) == 1);
    auto failed = boost::json::parse(out).as_object();
    CHECK(failed.at("outcome").as_string() == "tampered");
    CHECK(failed.at("failure").at("seq").as_int64() == 3);
}

TEST_CASE("box key spread: random keys pass, counters and clock prefixes fail") {
    crypto::seeded_random rnd(1);
    std::vector<ledger::box_key> keys(3000);
    for (auto& k : keys)
        rnd.fill(k);
    std::sort(keys.begin(), keys.end());
    CHECK(check_key_spread(keys).spread_ok);
    std::vector<ledger::box_key> counter(3000);
    for (std::size_t i = 0; i < counter.size(); ++i) {
        counter[i].fill(0x37);
        counter[i][14] = static_cast<std::uint8_t>(i >> 8);
        counter[i][15] = static_cast<std::uint8_t>(i);
    }
    CHECK_FALSE(check_key_spread(counter).spread_ok);
    // A clock-like prefix with random low bytes: crowded ranges.
    auto clocked = keys;
    for (std::size_t i = 0; i < clocked.size(); ++i)
        clocked[i][0] = static_cast<std::uint8_t>(0x40 + i * 16 / clocked.size());
    std::sort(clocked.begin(), clocked.end());
    CHECK_FALSE(check_key_spread(clocked).spread_ok);
    CHECK(check_key_spread(std::span<const ledger::box_key>()).spread_ok);
}

// The two checkpoint checks that re-check what ledger::verify has verified: each must still
// refuse a proof or a checkpoint that does not hold, should verify ever hand one over.
TEST_CASE("the consistency and checkpoint-signature checks refuse what does not hold") {
    namespace checks = ballotbox::audit::detail;
    audit_day d;
    auto in = d.inputs();
    checks::context c(in);
    ledger::verify_options options;
    options.consistency_proofs = true;
    auto book = ledger::ledger::open_read_only(in.ledger, {}, options, c.verified);
    REQUIRE(book);
    REQUIRE(c.verified.complete());
    REQUIRE(c.verified.checkpoint_list.size() >= 3);
    c.book.emplace(std::move(*book));
    c.appliance_key = d.appliance_key().public_key();
    std::string detail;  // each check's line
    CHECK_FALSE(checks::check_checkpoint_consistency(c, detail).has_value());
    CHECK(detail.find("consistency proofs hold") != std::string::npos);
    CHECK_FALSE(checks::check_checkpoint_signatures(c, detail).has_value());
    CHECK(c.report.counts.checkpoint_signatures_verified == c.verified.checkpoints);

    const auto genuine = c.verified.checkpoint_list;
    auto& second = c.verified.checkpoint_list[2];
    const auto place =
        "checkpoint at tree size " + std::to_string(second.signed_checkpoint.tree_size);
    REQUIRE_FALSE(second.proof_from_previous.empty());
    second.proof_from_previous.front()[0] ^= 1;
    auto p = checks::check_checkpoint_consistency(c, detail);
    REQUIRE(p.has_value());
    CHECK(p->where.check == "checkpoint_consistency");
    CHECK(p->where.place == place);

    c.verified.checkpoint_list = genuine;
    c.verified.checkpoint_list[2].proof_from_previous.pop_back();
    CHECK(checks::check_checkpoint_consistency(c, detail).has_value());

    c.verified.checkpoint_list = genuine;
    c.verified.checkpoint_list.pop_back();
    CHECK(checks::check_checkpoint_consistency(c, detail).has_value());

    c.verified.checkpoint_list = genuine;
    c.verified.checkpoint_list[2].signed_checkpoint.root[5] ^= 1;
    p = checks::check_checkpoint_signatures(c, detail);
    REQUIRE(p.has_value());
    CHECK(p->where.check == "checkpoint_signatures");
    CHECK(p->where.place == place);

    // Another appliance key: the audit's own signature check fails at the first checkpoint.
    c.verified.checkpoint_list = genuine;
    const std::array<std::uint8_t, 32> other_seed{9};
    auto other = crypto::ed25519_private_key::from_seed(other_seed);
    REQUIRE(other);
    c.appliance_key = other->public_key();
    p = checks::check_checkpoint_signatures(c, detail);
    REQUIRE(p.has_value());
    CHECK(p->where.place ==
          "checkpoint at tree size " + std::to_string(genuine.front().signed_checkpoint.tree_size));
}
