// `cardsim booth` as a process, marking a virtual card through the real pcscd on reader 1:
// the vote lands signed, and a card for another station is refused and left unchanged.
#include <PCSC/winscard.h>
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "common/bytes.h"
#include "crypto/random.h"
#include "tests/pcsc/reader_state.h"
#include "tests/support/child_process.h"
#include "tests/support/pcscd_fixture.h"
#include "tools/cardsim/virtual_card_connection.h"

using namespace ballotbox;
using namespace ballotbox::cardsim;
using ballotbox::test_support::pcscd_fixture;
using namespace std::chrono_literals;

namespace {

const std::string cardsim_path = BALLOTBOX_BINARY_DIR "/tools/cardsim/cardsim";

// cardsim's exit status, its standard error in out_path.
int run_cardsim(std::vector<std::string> args, const std::string& out_path) {
    return test_support::exit_status(
        test_support::spawn_to_file(cardsim_path, std::move(args), 2, out_path));
}

bool wait_state(const std::string& reader, DWORD flag) {
    SCARDCONTEXT ctx = 0;
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) != SCARD_S_SUCCESS)
        return false;
    const bool seen = cardio_pcsc_test::wait_reader_state(ctx, reader, flag, 15s);
    SCardReleaseContext(ctx);
    return seen;
}

card_image issued_image(const cardio::issued_card& issued) {
    return card_image_with_record(cardio::encode_card_record(issued).value()).value();
}

}  // namespace

TEST_CASE("cardsim booth marks an issued card on reader 1 and refuses a foreign one") {
    auto f = pcscd_fixture::start();
    REQUIRE_MESSAGE(f.ok(), (f.ok() ? "" : f.err().message));
    const auto dir = f.value()->log_path().parent_path();
    const std::string key_path = (dir / "booth.pem").string(), out = (dir / "out.txt").string();
    crypto::seeded_random random(11);
    const auto key = crypto::ed25519_private_key::generate(random);
    REQUIRE(key.save(key_path).ok());

    cardio::issue_data issue;
    issue.election_id.fill(0xe1);
    issue.station_id = "KZ-AST-0042";
    issue.style = {{0, 8}};
    issue.token.fill(0x07);
    const auto issued = cardio::make_issued_card(bytes(32, 0x33), issue).value();
    const std::string election = to_hex(issue.election_id);

    {  // Another station's booth: refused, card unchanged.
        virtual_card_connection card(file_system_card(issued_image(issued)), {.reader = 1});
        card.insert();
        REQUIRE(wait_state(pcscd_fixture::reader_name(1), SCARD_STATE_PRESENT));
        CHECK(run_cardsim({"booth", "--reader", "1", "--key", key_path, "--election", election,
                           "--station", "KZ-AST-0043", "--choice", "2"},
                          out) == 1);
        card.remove();
        CHECK(card.image() == issued_image(issued));
        // The reader must have seen this card go before the next one comes.
        REQUIRE(wait_state(pcscd_fixture::reader_name(1), SCARD_STATE_EMPTY));
    }

    virtual_card_connection card(file_system_card(issued_image(issued)), {.reader = 1});
    card.insert();
    REQUIRE(wait_state(pcscd_fixture::reader_name(1), SCARD_STATE_PRESENT));
    CHECK(run_cardsim({"booth", "--reader", "1", "--key", key_path, "--election", election,
                       "--station", "KZ-AST-0042", "--choice", "2"},
                      out) == 0);
    card.remove();
    const auto image = card.image();
    auto record = cardio::parse_card_image(image.files[0].content);
    REQUIRE(record.ok());
    REQUIRE(std::holds_alternative<cardio::voted_card>(*record));
    const auto& voted = std::get<cardio::voted_card>(*record);
    CHECK(voted.issued == issued);
    CHECK(voted.choices == std::vector{cardio::ballot_choice::for_option(2)});
    CHECK(cardio::verify_booth_signature(voted, key.public_key()).ok());
}
