// card_session and iso7816_card through the real pcscd and vpcd: a write and read-back round
// trip over T=1 and T=0, a card pulled mid-read, a slow card, a reader with no card.
#include <doctest/doctest.h>

#include "cardio/card_session.h"
#include "cardio/card_transport_deadline.h"
#include "cardio/iso7816.h"
#include "cardio/reader_monitor.h"
#include "tests/pcsc/cardio_test_events.h"
#include "tools/cardsim/virtual_card_connection.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio_pcsc_test;
using namespace std::chrono_literals;
using cardsim::virtual_card_connection;

namespace {

constexpr std::uint16_t ballot_ef = 0x0B01;

bytes pattern(std::size_t n, std::uint8_t seed) {
    bytes b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = static_cast<std::uint8_t>(seed + i * 7);
    return b;
}

// One monitor for the whole test: cards are inserted and removed through it, so each step
// waits until pcscd has seen the previous one.
struct reader_watch {
    event_log log;
    reader_monitor monitor{[this](const reader_event& e) { log.push(e); }};

    reader_watch() { log.expect(reader_event_kind::reader_added, reader(1)); }
    void insert(virtual_card_connection& card, int reader_index) {
        card.insert();
        log.expect(reader_event_kind::card_inserted, reader(reader_index));
    }
    void remove(virtual_card_connection& card, int reader_index) {
        card.remove();
        log.expect(reader_event_kind::card_removed, reader(reader_index));
    }
};

}  // namespace

TEST_CASE("write and read back through the real pcscd, over T=1 and T=0") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    for (bool t0 : {false, true}) {
        CAPTURE(t0);
        virtual_card_connection card(blank_card(t0), {.reader = 0});
        watch.insert(card, 0);
        const bytes record = pattern(1000, t0 ? 3 : 5);
        {
            auto session = card_session::open(reader(0));
            REQUIRE_MESSAGE(session.ok(), (session.ok() ? "" : session.err().message));
            CHECK(std::string((*session)->protocol_name()) == (t0 ? "T=0" : "T=1"));
            iso7816_card iso(**session);
            REQUIRE(iso.select_ef(ballot_ef).ok());
            auto written = iso.update_binary(0, record);
            REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.err().message));
            CHECK((*session)->close().ok());
        }
        {
            auto session = card_session::open(reader(0));
            REQUIRE(session.ok());
            iso7816_card iso(**session);
            REQUIRE(iso.select_ef(ballot_ef).ok());
            auto back = iso.read_binary(0, record.size());
            REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.err().message));
            CHECK(*back == record);
            auto whole = iso.read_ef(1024);
            REQUIRE(whole.ok());
            CHECK(whole->size() == 1024);
            CHECK(bytes(whole->begin(), whole->begin() + 1000) == record);
            CHECK(iso.select_ef(0x0B02).err().code == "card.file_not_found");
        }
        const auto image = card.image();
        CHECK(bytes(image.files.at(0).content.begin(), image.files.at(0).content.begin() + 1000) ==
              record);
        watch.remove(card, 0);
    }
}

TEST_CASE("a card pulled out mid-read is reported as card.removed") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    // Command 1 is the SELECT, 2 and 3 read; the card vanishes on command 3.
    virtual_card_connection card(blank_card(), {.reader = 1, .reconnect = false},
                                 cardsim::fault_plan{.vanish_on_command = 3});
    watch.insert(card, 1);
    auto session = card_session::open(reader(1));
    REQUIRE(session.ok());
    iso7816_card iso(**session);
    REQUIRE(iso.select_ef(ballot_ef).ok());
    auto r = iso.read_binary(0, 1024);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "card.removed");
    CHECK(r.err().message == "card removed too early: insert it again");
    CHECK(card.wait_ended(seen_limit) == cardsim::card_end::vanished);
}

TEST_CASE("a card that answers too slowly is reported as card.timeout") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    virtual_card_connection card(blank_card(), {.reader = 0, .reconnect = false});
    watch.insert(card, 0);
    auto session = card_session::open(reader(0));
    REQUIRE(session.ok());
    std::shared_ptr<card_transport> shared = std::move(*session);
    deadline_transport timed(shared, 60s);
    iso7816_card iso(timed);
    REQUIRE(iso.select_ef(ballot_ef).ok());  // in time
    shared.reset();

    virtual_card_connection slow(blank_card(), {.reader = 1, .reconnect = false},
                                 cardsim::fault_plan{.delay = 3000ms});
    watch.insert(slow, 1);
    auto slow_session = card_session::open(reader(1));
    REQUIRE(slow_session.ok());
    deadline_transport limited(std::shared_ptr<card_transport>(std::move(*slow_session)), 200ms);
    iso7816_card slow_iso(limited);
    auto s = slow_iso.select_ef(ballot_ef);
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == "card.timeout");
    slow.remove();  // the late call then ends on its own thread
}

TEST_CASE("opening a session on an empty reader or an unknown reader says why") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    auto empty = card_session::open(reader(0));
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.err().code == "card.removed");
    auto unknown = card_session::open("No Such Reader 00 00");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.err().code == "card.reader_gone");
}

TEST_CASE("opening a session while pcscd is down is card.service_unavailable") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    pcscd->stop();
    auto s = card_session::open(reader(0));
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == "card.service_unavailable");
    REQUIRE(pcscd->start_again().ok());
}
