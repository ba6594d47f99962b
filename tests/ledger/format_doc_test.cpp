// docs/ledger-format.md cannot drift: its test vectors are recomputed here, and its
// outsider check (sqlite3 + xxd + sha256sum) is run for real on real ledgers.
#include <doctest/doctest.h>
#include <stdio.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "tests/ledger/scripted_day.h"
#include "tests/support/temp_dir.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using namespace ballotbox::test_support;

namespace {

std::string read_doc() {
    std::ifstream in(std::string(BALLOTBOX_SOURCE_DIR) + "/docs/ledger-format.md");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The body of the first fenced block between the two markers.
std::string doc_block(const std::string& doc, const std::string& name) {
    auto begin = doc.find("<!-- " + name + ":begin -->");
    auto end = doc.find("<!-- " + name + ":end -->");
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        return {};
    auto fence = doc.find("```", begin);
    auto body = doc.find('\n', fence) + 1;
    auto close = doc.find("\n```", body);
    if (fence > end || close > end)
        return {};
    return doc.substr(body, close - body + 1);
}

// The vector ledger: fixed key, fixed seed, fixed clock.
std::filesystem::path build_vector_ledger(const std::filesystem::path& file) {
    bytes seed(32);
    for (int i = 0; i < 32; ++i)
        seed[i] = static_cast<std::uint8_t>(i);
    auto key = crypto::ed25519_private_key::from_seed(seed).value();
    manual_clock clock(poll_opening() + std::chrono::minutes(95));
    crypto::seeded_random random(42);
    ledger_options lo;
    lo.clock = &clock;
    lo.random = &random;
    lo.window = turnout_window();
    genesis_info g;
    g.election_package_sha256 = crypto::sha256(as_bytes("example election package"));
    g.appliance_key = key.public_key().raw();
    g.origin = "ballotbox.example/vector/station/000001/device/01";
    auto l = ledger::ledger::create(file, lo, g).value();
    REQUIRE(l.append(event_type::opening, {}).ok());
    REQUIRE(l.append_checkpoint(checkpoint_kind::opening, key).ok());
    REQUIRE(l.append(event_type::issue, {{"style", 0}}).ok());
    REQUIRE(l.append_cast({to_bytes("ballot A"), bytes(64, 0x5A), to_bytes("token-A"),
                           ballot_source::stationary})
                .ok());
    REQUIRE(l.append(event_type::rejected_card, {{"reason", 3}}).ok());
    REQUIRE(l.append(event_type::issue, {{"style", 1}}).ok());
    clock.advance(std::chrono::hours(2));
    REQUIRE(l.append_cast({to_bytes("ballot B"), bytes(64, 0xA5), to_bytes("token-B"),
                           ballot_source::portable})
                .ok());
    REQUIRE(l.append_closing({}).ok());
    REQUIRE(l.append_checkpoint(checkpoint_kind::final, key).ok());
    return file;
}

std::string vector_text(const std::filesystem::path& file) {
    auto l = ledger::ledger::open_read_only(file).value();
    std::ostringstream out;
    for (std::uint64_t s = 0; s < l.size(); ++s) {
        auto e = l.read_entry(s).value();
        out << "entry " << s << " type " << static_cast<std::uint32_t>(e.type) << " ("
            << *event_type_name(static_cast<std::uint32_t>(e.type)) << ")\n"
            << "  body " << e.body << "\n"
            << "  entry_hash " << to_hex(e.entry_hash) << "\n"
            << "  leaf " << to_hex(entry_leaf_hash(e.entry_hash)) << "\n";
    }
    out << "tree_size " << l.size() << " root " << to_hex(l.root()) << "\n";
    auto box = l.ballots();
    REQUIRE(box.ok());
    for (const auto& b : *box)
        out << "ballot box_key " << to_hex(b.key) << " leaf " << to_hex(ballot_leaf_hash(b))
            << "\n";
    out << "box_root " << to_hex(l.box_root().value()) << "\n";
    auto checkpoints = l.checkpoints();
    REQUIRE(checkpoints.ok());
    for (const auto& c : *checkpoints)
        out << "checkpoint kind " << checkpoint_kind_name(c.kind) << " tree_size " << c.tree_size
            << "\n"
            << c.note;
    return out.str();
}

std::string run_shell(const std::string& script, const std::filesystem::path& ledger_file) {
    temp_dir dir("ledger-shell");
    auto path = dir / "check.sh";
    std::ofstream(path) << script;
    std::string command = "LEDGER='" + ledger_file.string() + "' bash " + path.string() + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0)
        out.append(buf, n);
    CHECK(pclose(pipe) == 0);
    return out;
}

std::string expected_shell_output(const std::filesystem::path& file) {
    auto l = ledger::ledger::open_read_only(file).value();
    std::string out;
    for (std::uint64_t s = 0; s < l.size(); ++s)
        out += std::to_string(s) + " ok " + to_hex(l.read_entry(s).value().entry_hash) + "\n";
    return out;
}

}  // namespace

TEST_CASE("docs/ledger-format.md test vectors match a freshly built vector ledger") {
    temp_dir dir("ledger-vectors");
    auto file = build_vector_ledger(dir / "vector.ledger");
    auto actual = vector_text(file);
    auto documented = doc_block(read_doc(), "test-vectors");
    INFO("recomputed vectors:\n" << actual);
    CHECK(documented == actual);
    CHECK(verify(file).complete());
}

TEST_CASE("the documented outsider check (sqlite3, xxd, sha256sum) recomputes every hash") {
    auto script = doc_block(read_doc(), "outsider-check");
    REQUIRE_FALSE(script.empty());
    temp_dir dir("ledger-outsider");
    auto file = build_vector_ledger(dir / "vector.ledger");
    auto out = run_shell(script, file);
    CHECK(out == expected_shell_output(file));

    auto day = run_scripted_day(dir / "day.ledger");
    CHECK(run_shell(script, day.file) == expected_shell_output(day.file));

    // The same command reports an altered entry and a broken link.
    exec_raw(day.file, "UPDATE entries SET body = CAST('{\"style\":7}' AS BLOB) WHERE seq = 4");
    auto tampered = run_shell(script, day.file);
    CHECK(tampered.find("4 MISMATCH") != std::string::npos);
    exec_raw(day.file, "UPDATE entries SET prev_hash = zeroblob(32) WHERE seq = 6");
    tampered = run_shell(script, day.file);
    CHECK(tampered.find("broken link at 6") != std::string::npos);
}

TEST_CASE("the documented outsider ballot-leaf command recomputes every ballot leaf") {
    auto script = doc_block(read_doc(), "outsider-box");
    REQUIRE_FALSE(script.empty());
    temp_dir dir("ledger-outsider");
    auto day = run_scripted_day(dir / "day.ledger");
    auto l = ledger::ledger::open_read_only(day.file).value();
    auto box = l.ballots();
    REQUIRE(box.ok());
    REQUIRE(box->size() == day.casts);
    std::string expected;
    for (const auto& b : *box)
        expected += to_hex(ballot_leaf_hash(b)) + "\n";
    CHECK(run_shell(script, day.file) == expected);
}
