// Recomputes the test vectors of docs/card-format.md from the inputs written there and
// compares them with the document's text, so the document cannot drift from the code.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "tests/cardio/card_fixtures.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio::testing;

namespace {

std::string card_format_doc() {
    std::ifstream in(BALLOTBOX_SOURCE_DIR "/docs/card-format.md");
    REQUIRE(in.good());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The hex in the fenced block that follows "<!-- kind: name -->", whitespace removed.
bytes doc_block(const std::string& doc, const std::string& kind, const std::string& name) {
    auto marker = "<!-- " + kind + ": " + name + " -->";
    auto at = doc.find(marker);
    REQUIRE_MESSAGE(at != std::string::npos, "docs/card-format.md lacks " << marker);
    REQUIRE(doc.find(marker, at + 1) == std::string::npos);
    auto open = doc.find("```\n", at + marker.size());
    REQUIRE(open != std::string::npos);
    auto close = doc.find("```", open + 4);
    REQUIRE(close != std::string::npos);
    std::string hex;
    for (char c : doc.substr(open + 4, close - open - 4))
        if (c != '\n' && c != ' ')
            hex += c;
    auto decoded = from_hex(hex);
    REQUIRE_MESSAGE(decoded.ok(), "block " << name << " is not hex");
    return *decoded;
}

}  // namespace

TEST_CASE("the inputs written in docs/card-format.md are the fixtures the vectors use") {
    auto doc = card_format_doc();
    CHECK(doc_block(doc, "input", "mac_key") == fixture_mac_key());
    CHECK(doc_block(doc, "input", "booth_seed") == fixture_booth_seed());
    auto pub = fixture_booth_key().public_key();
    CHECK(doc_block(doc, "input", "booth_public_key") == bytes(pub.raw().begin(), pub.raw().end()));
    auto id = booth_key_id_of(pub);
    CHECK(doc_block(doc, "input", "booth_key_id") == bytes(id.begin(), id.end()));
    auto election = fixture_election_id();
    CHECK(doc_block(doc, "input", "election_id") == bytes(election.begin(), election.end()));
    auto issue = fixture_issue();
    CHECK(doc_block(doc, "input", "token") == bytes(issue.token.begin(), issue.token.end()));
    auto mac = fixture_issued().mac;
    CHECK(doc_block(doc, "input", "issue_mac") == bytes(mac.begin(), mac.end()));
}

TEST_CASE("the test vectors in docs/card-format.md match the encoder") {
    auto doc = card_format_doc();
    const std::pair<const char*, card_record> vectors[] = {
        {"blank", blank_card{}},
        {"issued", fixture_issued()},
        {"voted", fixture_voted()},
        {"voted_blank", fixture_voted_blank_ballot()},
    };
    for (const auto& [name, record] : vectors) {
        CAPTURE(name);
        auto written = doc_block(doc, "vector", name);
        auto computed = encoded(record);
        CHECK_MESSAGE(written == computed, "recomputed: " << to_hex(computed));
        CHECK(parse_card_record(written).value() == record);
    }
}

TEST_CASE("the voted vectors in the document verify with the documented keys") {
    auto doc = card_format_doc();
    auto mac_key = doc_block(doc, "input", "mac_key");
    auto booth = crypto::ed25519_private_key::from_seed(doc_block(doc, "input", "booth_seed"));
    REQUIRE(booth.ok());
    for (const char* name : {"voted", "voted_blank"}) {
        CAPTURE(name);
        auto record = parse_card_record(doc_block(doc, "vector", name));
        REQUIRE(record.ok());
        auto& voted = std::get<voted_card>(*record);
        CHECK(verify_issue_mac(mac_key, voted.issued).ok());
        CHECK(verify_booth_signature(voted, booth->public_key()).ok());
    }
    auto issued = parse_card_record(doc_block(doc, "vector", "issued"));
    REQUIRE(issued.ok());
    CHECK(verify_issue_mac(mac_key, std::get<issued_card>(*issued)).ok());
}
