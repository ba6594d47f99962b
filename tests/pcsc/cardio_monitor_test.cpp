// reader_monitor through the real pcscd and vpcd: readers and cards seen as events, a card
// moved between readers, pcscd stopped, killed and restarted under a running monitor.
#include <doctest/doctest.h>

#include <thread>

#include "cardio/reader_monitor.h"
#include "tests/pcsc/cardio_test_events.h"
#include "tools/cardsim/virtual_card_connection.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio_pcsc_test;
using namespace std::chrono_literals;
using cardsim::virtual_card_connection;
using kind = reader_event_kind;

TEST_CASE("the monitor reports both readers, then a card inserted, removed and moved") {
    auto pcscd = start_pcscd();
    event_log log;
    reader_monitor monitor([&](const reader_event& e) { log.push(e); });
    log.expect(kind::reader_added, reader(0));
    log.expect(kind::reader_added, reader(1));

    virtual_card_connection card(blank_card(), {.reader = 0});
    card.insert();
    auto inserted = log.expect(kind::card_inserted, reader(0));
    CHECK(inserted.atr == blank_card().atr());
    CHECK_FALSE(inserted.mute);

    CHECK(card.remove() == cardsim::card_end::removed);
    log.expect(kind::card_removed, reader(0));

    // The same card, moved to the other reader.
    virtual_card_connection moved(cardsim::file_system_card(card.image()), {.reader = 1});
    moved.insert();
    log.expect(kind::card_inserted, reader(1));
    moved.remove();
    log.expect(kind::card_removed, reader(1));
    CHECK(log.count_after_cursor(kind::card_inserted, reader(0)) == 0);
}

TEST_CASE("a card already in a reader when the monitor starts is reported") {
    auto pcscd = start_pcscd();
    virtual_card_connection card(blank_card(/*t0=*/true), {.reader = 1});
    card.insert();
    {
        // Wait until pcscd has seen it, with a first monitor.
        event_log first;
        reader_monitor m([&](const reader_event& e) { first.push(e); });
        first.expect(kind::card_inserted, reader(1));
    }
    event_log log;
    reader_monitor monitor([&](const reader_event& e) { log.push(e); });
    log.expect(kind::reader_added, reader(1));
    auto e = log.expect(kind::card_inserted, reader(1));
    CHECK(e.atr == blank_card(/*t0=*/true).atr());
}

TEST_CASE("pcscd stopped under the monitor: service lost, backoff, service back, cards again") {
    auto pcscd = start_pcscd();
    auto waiter = std::make_shared<recording_waiter>();
    event_log log;
    reader_monitor monitor([&](const reader_event& e) { log.push(e); },
                           reader_monitor_options{.backoff = {.initial = 100ms, .maximum = 400ms},
                                                  .waiter = waiter,
                                                  .poll_limit = 2000ms});
    log.expect(kind::reader_added, reader(0));

    virtual_card_connection card(blank_card(), {.reader = 0, .reconnect = true});
    card.insert();
    log.expect(kind::card_inserted, reader(0));

    pcscd->stop();
    auto lost = log.expect(kind::service_lost);
    // NO_SERVICE, or what pcscd answers while it shuts down.
    CHECK_MESSAGE(
        (lost.problem.code == "card.service_unavailable" || lost.problem.code == "card.pcsc_error"),
        lost.problem.message);
    // Let the monitor fail to reconnect a few times.
    const auto until = std::chrono::steady_clock::now() + seen_limit;
    while (waiter->asked().size() < 4 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(10ms);
    REQUIRE(pcscd->start_again().ok());
    log.expect(kind::service_back);
    log.expect(kind::reader_added, reader(0));
    log.expect(kind::card_inserted, reader(0));  // the card left in the reader, re-reported

    const auto asked = waiter->asked();
    REQUIRE(asked.size() >= 4);
    CHECK(asked[0] == 100ms);
    CHECK(asked[1] == 200ms);
    CHECK(asked[2] == 400ms);
    CHECK(asked[3] == 400ms);
    // Exactly one service_lost for the outage.
    int lost_count = 0;
    for (const auto& e : log.all())
        lost_count += e.kind == kind::service_lost;
    CHECK(lost_count == 1);
}

TEST_CASE("pcscd killed and restarted while the monitor runs: the next card is still seen") {
    auto pcscd = start_pcscd();
    event_log log;
    reader_monitor monitor([&](const reader_event& e) { log.push(e); },
                           reader_monitor_options{.backoff = {.initial = 50ms, .maximum = 500ms},
                                                  .waiter = nullptr,
                                                  .poll_limit = 2000ms});
    log.expect(kind::reader_added, reader(1));

    REQUIRE(pcscd->restart(test_support::pcscd_fixture::stop_mode::kill).ok());
    log.expect(kind::service_lost);
    log.expect(kind::service_back);
    log.expect(kind::reader_added, reader(1));

    virtual_card_connection card(blank_card(), {.reader = 1});
    card.insert();
    log.expect(kind::card_inserted, reader(1));
}

TEST_CASE("stopping the monitor while pcscd is down returns") {
    // Fails by hanging (CTest timeout) if stop() waited on the missing service.
    auto pcscd = start_pcscd();
    event_log log;
    auto monitor = std::make_unique<reader_monitor>([&](const reader_event& e) { log.push(e); });
    log.expect(kind::reader_added, reader(0));
    pcscd->stop();
    log.expect(kind::service_lost);
    monitor.reset();
    REQUIRE(pcscd->start_again().ok());
}

TEST_CASE("a monitor started without pcscd reports service_lost, then the readers") {
    auto pcscd = start_pcscd();
    pcscd->stop();
    event_log log;
    reader_monitor monitor([&](const reader_event& e) { log.push(e); },
                           reader_monitor_options{.backoff = {.initial = 20ms, .maximum = 200ms},
                                                  .waiter = nullptr,
                                                  .poll_limit = 2000ms});
    auto lost = log.expect(kind::service_lost);
    CHECK(lost.problem.code == "card.service_unavailable");
    REQUIRE(pcscd->start_again().ok());
    log.expect(kind::service_back);
    log.expect(kind::reader_added, reader(0));
    log.expect(kind::reader_added, reader(1));
}
