// The virtual card through the real pcscd and vpcd, with the plain PC/SC C API: insertion
// and removal seen, SELECT/READ/UPDATE BINARY, a card moved between readers, pcscd
// restarts, and the fault modes as a PC/SC client sees them.
#include <PCSC/winscard.h>
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "common/bytes.h"
#include "tests/pcsc/reader_state.h"
#include "tests/support/pcscd_fixture.h"
#include "tools/cardsim/virtual_card_connection.h"

using namespace ballotbox;
using namespace ballotbox::cardsim;
using ballotbox::test_support::pcscd_fixture;
using namespace std::chrono_literals;

namespace {

// Bounds for failure only: vpcd is polled every 400 ms, so these are never near.
constexpr auto seen_limit = 15s;

bytes h(std::string_view hex) {
    return from_hex(hex).value();
}

std::unique_ptr<pcscd_fixture> start_pcscd() {
    auto f = pcscd_fixture::start();
    REQUIRE_MESSAGE(f.ok(), (f.ok() ? "" : f.err().code + ": " + f.err().message));
    return std::move(f.value());
}

struct context {
    SCARDCONTEXT handle = 0;
    context() {
        const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &handle);
        REQUIRE_MESSAGE(rv == SCARD_S_SUCCESS, pcsc_stringify_error(rv));
    }
    ~context() { SCardReleaseContext(handle); }
};

struct card_handle {
    SCARDHANDLE handle = 0;
    DWORD protocol = 0;
    LONG connect(SCARDCONTEXT ctx, const std::string& reader) {
        return SCardConnect(ctx, reader.c_str(), SCARD_SHARE_SHARED,
                            SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle, &protocol);
    }
    void disconnect() {
        if (handle)
            SCardDisconnect(handle, SCARD_LEAVE_CARD);
        handle = 0;
    }
    ~card_handle() { disconnect(); }
    // The response as hex, or "error: ..." when SCardTransmit itself fails.
    std::string transmit(std::string_view hex) {
        const bytes c = h(hex);
        std::uint8_t out[300];
        DWORD len = sizeof out;
        const auto* pci = protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
        const LONG rv =
            SCardTransmit(handle, pci, c.data(), static_cast<DWORD>(c.size()), nullptr, out, &len);
        if (rv != SCARD_S_SUCCESS)
            return std::string("error: ") + pcsc_stringify_error(rv);
        return to_hex(byte_view(out, len));
    }
};

file_system_card blank_card(card_options options = {}) {
    return file_system_card(blank_card_image(default_layout()).value(), options);
}

std::string reader(int i) {
    return pcscd_fixture::reader_name(i);
}

}  // namespace

TEST_CASE("a virtual card in reader 0 is seen inserted and removed") {
    auto pcscd = start_pcscd();
    context ctx;
    CHECK(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_EMPTY));
    virtual_card_connection card(blank_card(), {.reader = 0});
    card.insert();
    REQUIRE_MESSAGE(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_PRESENT),
                    pcscd->log_tail());
    CHECK(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(1), SCARD_STATE_EMPTY));
    CHECK(card.remove() == card_end::removed);
    CHECK(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_EMPTY));
}

TEST_CASE("SELECT, UPDATE BINARY and READ BINARY through SCardTransmit") {
    auto pcscd = start_pcscd();
    context ctx;
    virtual_card_connection card(blank_card(), {.reader = 0});
    card.insert();
    REQUIRE(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_PRESENT));
    card_handle c;
    REQUIRE_MESSAGE(c.connect(ctx.handle, reader(0)) == SCARD_S_SUCCESS, pcscd->log_tail());
    CHECK(c.protocol == SCARD_PROTOCOL_T1);
    CHECK(c.transmit("00a4020c020b01") == "9000");
    CHECK(c.transmit("00a40004020b0100") == "620b82010183020b01800204009000");
    CHECK(c.transmit("00d6010004deadbeef") == "9000");
    CHECK(c.transmit("00b0010004") == "deadbeef9000");
    CHECK(c.transmit("00b003fe10") == "00006282");
    CHECK(c.transmit("00a4020c020b02") == "6a82");
    CHECK(c.transmit("00ca000000") == "6d00");
    CHECK(card.image().files[0].content[0x100] == 0xde);
}

TEST_CASE("a card moved from reader 0 to reader 1 keeps what was written") {
    auto pcscd = start_pcscd();
    context ctx;
    const auto path = std::filesystem::path(pcscd->log_path()).replace_filename("card.img");
    REQUIRE(save_card_image(blank_card_image(default_layout()).value(), path).ok());
    {
        virtual_card_connection card(file_system_card(load_card_image(path).value()),
                                     {.reader = 0});
        card.insert();
        REQUIRE(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_PRESENT));
        card_handle c;
        REQUIRE(c.connect(ctx.handle, reader(0)) == SCARD_S_SUCCESS);
        CHECK(c.transmit("00a4020c020b01") == "9000");
        CHECK(c.transmit("00d6000003010203") == "9000");
        c.disconnect();
        card.remove();
        REQUIRE(save_card_image(card.image(), path).ok());
    }
    REQUIRE(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_EMPTY));
    virtual_card_connection moved(file_system_card(load_card_image(path).value()), {.reader = 1});
    moved.insert();
    REQUIRE(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(1), SCARD_STATE_PRESENT));
    CHECK(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_EMPTY));
    card_handle c;
    REQUIRE(c.connect(ctx.handle, reader(1)) == SCARD_S_SUCCESS);
    CHECK(c.transmit("00a4020c020b01") == "9000");
    CHECK(c.transmit("00b0000004") == "010203009000");
}

TEST_CASE("pcscd restarted: the card in the reader is reachable again") {
    auto pcscd = start_pcscd();
    virtual_card_connection card(blank_card(), {.reader = 0});
    card.insert();
    {
        context ctx;
        REQUIRE(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_PRESENT));
        card_handle c;
        REQUIRE(c.connect(ctx.handle, reader(0)) == SCARD_S_SUCCESS);
        CHECK(c.transmit("00a4020c020b01") == "9000");
        CHECK(c.transmit("00d6000001aa") == "9000");
    }
    const auto first = pcscd->pid();
    for (auto how : {pcscd_fixture::stop_mode::graceful, pcscd_fixture::stop_mode::kill}) {
        auto r = pcscd->restart(how);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message));
        CHECK(pcscd->pid() != first);
        context ctx;
        REQUIRE_MESSAGE(
            cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_PRESENT),
            pcscd->log_tail());
        card_handle c;
        REQUIRE(c.connect(ctx.handle, reader(0)) == SCARD_S_SUCCESS);
        CHECK(c.transmit("00a4020c020b01") == "9000");
        CHECK(c.transmit("00b0000001") == "aa9000");
    }
    // At least one new connection per restart (a reconnect can also land in the backlog of
    // the stopping pcscd and be closed again).
    CHECK(card.connections() >= 3);
}

TEST_CASE("the fixture refuses to start beside a running pcscd") {
    auto pcscd = start_pcscd();
    auto second = pcscd_fixture::start();
    REQUIRE_FALSE(second.ok());
    CHECK(second.err().code == "test.pcscd_already_running");
    CHECK(second.err().message.find(std::to_string(pcscd->pid())) != std::string::npos);
    // The first one was left alone.
    context ctx;
    CHECK(cardio_pcsc_test::wait_reader_state(ctx.handle, reader(0), SCARD_STATE_EMPTY));
}
