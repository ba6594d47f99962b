// The cardsim tool itself, run as a process against the real pcscd: new, insert (removed
// by SIGTERM, image saved), show, and a fault that ends the insertion by itself.
#include <PCSC/winscard.h>
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "tests/pcsc/reader_state.h"
#include "tests/support/child_process.h"
#include "tests/support/pcscd_fixture.h"
#include "tools/cardsim/card_image.h"

using namespace ballotbox;
using ballotbox::test_support::pcscd_fixture;
using namespace std::chrono_literals;

namespace {

const std::string cardsim_path = BALLOTBOX_BINARY_DIR "/tools/cardsim/cardsim";

// Starts cardsim with its standard output in out_path.
pid_t spawn(std::vector<std::string> args, const std::string& out_path) {
    return test_support::spawn_to_file(cardsim_path, std::move(args), 1, out_path);
}

using test_support::exit_status;

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string transmit(SCARDHANDLE card, std::string_view hex) {
    const bytes c = from_hex(hex).value();
    std::uint8_t out[300];
    DWORD len = sizeof out;
    const LONG rv = SCardTransmit(card, SCARD_PCI_T1, c.data(), static_cast<DWORD>(c.size()),
                                  nullptr, out, &len);
    if (rv != SCARD_S_SUCCESS)
        return "error";
    return to_hex(byte_view(out, len));
}

}  // namespace

TEST_CASE("cardsim new, insert into reader 1, write, SIGTERM removes and saves, show") {
    auto f = pcscd_fixture::start();
    REQUIRE_MESSAGE(f.ok(), (f.ok() ? "" : f.err().message));
    auto& pcscd = *f.value();
    const auto dir = pcscd.log_path().parent_path();
    const std::string image = (dir / "card.img").string(), out = (dir / "out.txt").string();
    CHECK(exit_status(spawn({"new", "--image", image}, out)) == 0);

    SCARDCONTEXT ctx = 0;
    REQUIRE(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) == SCARD_S_SUCCESS);
    const pid_t inserted = spawn({"insert", "--image", image, "--reader", "1"}, out);
    const auto reader = pcscd_fixture::reader_name(1);
    REQUIRE(cardio_pcsc_test::wait_reader_state(ctx, reader, SCARD_STATE_PRESENT));
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    REQUIRE(SCardConnect(ctx, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1, &card,
                         &protocol) == SCARD_S_SUCCESS);
    CHECK(transmit(card, "00a4020c020b01") == "9000");
    CHECK(transmit(card, "00d6001002cafe") == "9000");
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    ::kill(inserted, SIGTERM);
    CHECK(exit_status(inserted) == 0);
    CHECK(cardio_pcsc_test::wait_reader_state(ctx, reader, SCARD_STATE_EMPTY));
    SCardReleaseContext(ctx);

    auto saved = cardsim::load_card_image(image);
    REQUIRE(saved.ok());
    CHECK(saved->files.at(0).content.at(0x10) == 0xca);
    CHECK(exit_status(spawn({"show", "--image", image}, out)) == 0);
    const auto shown = slurp(out);
    CHECK(shown.find("EF 0B01, 1024 bytes") != std::string::npos);
    CHECK(shown.find("0010  ca fe 00") != std::string::npos);
}

TEST_CASE("cardsim insert --vanish-after 1 ends by itself and keeps the image") {
    auto f = pcscd_fixture::start();
    REQUIRE_MESSAGE(f.ok(), (f.ok() ? "" : f.err().message));
    const auto dir = f.value()->log_path().parent_path();
    const std::string image = (dir / "card.img").string(), out = (dir / "out.txt").string();
    CHECK(exit_status(spawn({"new", "--image", image}, out)) == 0);
    SCARDCONTEXT ctx = 0;
    REQUIRE(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) == SCARD_S_SUCCESS);
    const pid_t inserted =
        spawn({"insert", "--image", image, "--reader", "0", "--vanish-after", "1"}, out);
    const auto reader = pcscd_fixture::reader_name(0);
    REQUIRE(cardio_pcsc_test::wait_reader_state(ctx, reader, SCARD_STATE_PRESENT));
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    REQUIRE(SCardConnect(ctx, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1, &card,
                         &protocol) == SCARD_S_SUCCESS);
    CHECK(transmit(card, "00a4020c020b01") == "");  // vanished: 0 bytes through vpcd
    CHECK(exit_status(inserted) == 0);
    CHECK(cardio_pcsc_test::wait_reader_state(ctx, reader, SCARD_STATE_EMPTY));
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    SCardReleaseContext(ctx);
    CHECK(cardsim::load_card_image(image).ok());
}
