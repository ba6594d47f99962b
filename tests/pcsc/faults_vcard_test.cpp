// The virtual card's fault modes and T=0 mode as a PC/SC client sees them through the real
// pcscd: what SCardTransmit returns and what the reader shows afterwards.
#include <PCSC/winscard.h>
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "common/bytes.h"
#include "tests/pcsc/reader_state.h"
#include "tests/support/pcscd_fixture.h"
#include "tools/cardsim/virtual_card_connection.h"

using namespace ballotbox;
using namespace ballotbox::cardsim;
using ballotbox::test_support::pcscd_fixture;
using namespace std::chrono_literals;

namespace {

constexpr auto seen_limit = 15s;  // a bound for failure only

struct session {
    std::unique_ptr<pcscd_fixture> pcscd;
    SCARDCONTEXT ctx = 0;
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    session() {
        auto f = pcscd_fixture::start();
        REQUIRE_MESSAGE(f.ok(), (f.ok() ? "" : f.err().code + ": " + f.err().message));
        pcscd = std::move(f.value());
        REQUIRE(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) ==
                SCARD_S_SUCCESS);
    }
    ~session() {
        if (card)
            SCardDisconnect(card, SCARD_LEAVE_CARD);
        SCardReleaseContext(ctx);
    }
    bool wait_state(DWORD flag) {
        return cardio_pcsc_test::wait_reader_state(ctx, pcscd_fixture::reader_name(0), flag,
                                                   seen_limit);
    }
    void connect() {
        REQUIRE(wait_state(SCARD_STATE_PRESENT));
        const auto reader = pcscd_fixture::reader_name(0);
        const LONG rv = SCardConnect(ctx, reader.c_str(), SCARD_SHARE_SHARED,
                                     SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
        REQUIRE_MESSAGE(rv == SCARD_S_SUCCESS, pcsc_stringify_error(rv));
    }
    std::string transmit(std::string_view hex) {
        const bytes c = from_hex(hex).value();
        std::uint8_t out[300];
        DWORD len = sizeof out;
        const auto* pci = protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
        const LONG rv =
            SCardTransmit(card, pci, c.data(), static_cast<DWORD>(c.size()), nullptr, out, &len);
        if (rv != SCARD_S_SUCCESS)
            return "error";
        return to_hex(byte_view(out, len));
    }
};

file_system_card blank(card_options o = {}) {
    return file_system_card(blank_card_image(default_layout()).value(), o);
}

}  // namespace

TEST_CASE("T=0 mode through pcscd: protocol T=0, 61xx then GET RESPONSE, 6Cxx") {
    session s;
    virtual_card_connection card(blank({.t0 = true}), {.reader = 0});
    card.insert();
    s.connect();
    CHECK(s.protocol == SCARD_PROTOCOL_T0);
    CHECK(s.transmit("00a40004020b01") == "610d");
    CHECK(s.transmit("00c000000d") == "620b82010183020b01800204009000");
    CHECK(s.transmit("00b003fe10") == "6c02");
    CHECK(s.transmit("00b003fe02") == "00009000");
}

TEST_CASE("a card that vanishes mid-command: the command fails and the reader is empty") {
    session s;
    virtual_card_connection card(blank(), {.reader = 0}, {.vanish_on_command = 2});
    card.insert();
    s.connect();
    CHECK(s.transmit("00a4020c020b01") == "9000");
    // vpcd reads 0 bytes from the closed connection and still reports success: the client
    // gets an empty response (no status word), then the reader is empty.
    CHECK(s.transmit("00d6000001aa") == "");
    CHECK(card.wait_ended(seen_limit) == card_end::vanished);
    CHECK(s.wait_state(SCARD_STATE_EMPTY));
    CHECK(s.transmit("00a4020c020b01") == "error");
    CHECK(card.image().files[0].content[0] == 0);  // not carried out
}

TEST_CASE("a torn UPDATE BINARY: the client gets no status word, the card keeps K bytes") {
    session s;
    virtual_card_connection card(blank(), {.reader = 0}, {.tear_after_bytes = 3});
    card.insert();
    s.connect();
    CHECK(s.transmit("00a4020c020b01") == "9000");
    CHECK(s.transmit("00d6000005a1a2a3a4a5") == "");
    CHECK(card.wait_ended(seen_limit) == card_end::torn);
    CHECK(s.wait_state(SCARD_STATE_EMPTY));
    const auto image = card.image();
    CHECK(to_hex(byte_view(image.files[0].content).first(6)) == "a1a2a3000000");
}

TEST_CASE("malformed and slow answers reach the client as they are") {
    session s;
    virtual_card_connection card(
        blank(), {.reader = 0},
        {.malformed = malformed_kind::no_status_word, .malformed_from = 3, .delay = 50ms});
    card.insert();
    s.connect();
    CHECK(s.transmit("00a4020c020b01") == "9000");
    CHECK(s.transmit("00d6000002abcd") == "9000");
    CHECK(s.transmit("00b0000002") == "abcd");    // no status word
    CHECK(s.transmit("00a4020c020b01") == "90");  // a single byte
    CHECK(card.remove() == card_end::removed);
}
