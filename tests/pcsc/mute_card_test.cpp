// A card that never answers, through the real pcscd and vpcd: card_session's time limit and
// deadline_transport both report card.timeout, and nothing is left running afterwards (the
// card I/O process is reaped, this process has no more threads than before); once the mute
// card leaves the reader, pcscd serves the reader again.
#include <dirent.h>
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>

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

// "Never" for the test: far beyond every bound in it; remove() ends the wait.
constexpr cardsim::fault_plan mute{.delay = std::chrono::hours(24)};

std::size_t thread_count() {
    std::size_t n = 0;
    if (DIR* d = ::opendir("/proc/self/task")) {
        while (const dirent* e = ::readdir(d))
            if (e->d_name[0] != '.')
                ++n;
        ::closedir(d);
    }
    return n;
}

// True when `pid` is neither running nor a zombie child of this process.
bool gone(pid_t pid) {
    errno = 0;
    const bool no_child = ::waitpid(pid, nullptr, WNOHANG) < 0 && errno == ECHILD;
    errno = 0;
    const bool no_process = ::kill(pid, 0) < 0 && errno == ESRCH;
    return no_child && no_process;
}

struct reader_watch {
    event_log log;
    reader_monitor monitor{[this](const reader_event& e) { log.push(e); }};
    reader_watch() { log.expect(reader_event_kind::reader_added, reader(1)); }
};

// After the mute card left reader `index`, a good card there is served again.
void check_reader_recovers(reader_watch& watch, virtual_card_connection& mute_card, int index) {
    mute_card.remove();
    watch.log.expect(reader_event_kind::card_removed, reader(index));
    virtual_card_connection good(blank_card(), {.reader = index, .reconnect = false});
    good.insert();
    watch.log.expect(reader_event_kind::card_inserted, reader(index));
    auto session = card_session::open(reader(index));
    REQUIRE_MESSAGE(session.ok(), (session.ok() ? "" : session.err().message));
    iso7816_card iso(**session);
    CHECK(iso.select_ef(ballot_ef).ok());
    CHECK((*session)->close().ok());
}

}  // namespace

TEST_CASE("a mute card: card_session's own limit gives card.timeout and leaves nothing running") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    virtual_card_connection card(blank_card(), {.reader = 0, .reconnect = false}, mute);
    card.insert();
    watch.log.expect(reader_event_kind::card_inserted, reader(0));
    const std::size_t threads = thread_count();

    auto session = card_session::open(reader(0), {.answer_limit = 300ms});
    REQUIRE_MESSAGE(session.ok(), (session.ok() ? "" : session.err().message));
    const pid_t child = (*session)->child();
    REQUIRE(child > 0);
    iso7816_card iso(**session);
    auto s = iso.select_ef(ballot_ef);
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == "card.timeout");
    CHECK(s.err().message.find("300 ms") != std::string::npos);
    CHECK((*session)->child() == 0);
    CHECK(gone(child));
    CHECK(thread_count() == threads);
    // Spent: later commands fail at once, closing is quiet.
    CHECK(iso.select_ef(ballot_ef).err().code == "card.timeout");
    CHECK((*session)->close().ok());
    session->reset();
    CHECK(card.commands() == 1);  // the card saw only the first SELECT
    check_reader_recovers(watch, card, 0);
}

TEST_CASE("a mute card behind deadline_transport: card.timeout, the session is abandoned") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    virtual_card_connection card(blank_card(), {.reader = 1, .reconnect = false}, mute);
    card.insert();
    watch.log.expect(reader_event_kind::card_inserted, reader(1));
    const std::size_t threads = thread_count();

    // The session's own limit is far away: the deadline fires first and must abandon it.
    auto opened = card_session::open(reader(1), {.answer_limit = 60s});
    REQUIRE(opened.ok());
    const pid_t child = (*opened)->child();
    std::shared_ptr<card_session> session = std::move(*opened);
    {
        deadline_transport timed(session, 300ms);
        iso7816_card iso(timed);
        auto s = iso.select_ef(ballot_ef);
        REQUIRE_FALSE(s.ok());
        CHECK(s.err().code == "card.timeout");
        CHECK(timed.timed_out());
        // The worker thread was joined and the card I/O process reaped before transmit
        // returned.
        CHECK(thread_count() == threads);
        CHECK(session->child() == 0);
        CHECK(gone(child));
        CHECK(session->transmit(bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x0B, 0x01}).err().code ==
              "card.timeout");
    }
    CHECK(session.use_count() == 1);  // nobody else holds it
    session.reset();
    check_reader_recovers(watch, card, 1);
}

TEST_CASE("a slow card that answers within the limit is served") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    virtual_card_connection card(blank_card(), {.reader = 0, .reconnect = false},
                                 cardsim::fault_plan{.delay = 200ms});
    card.insert();
    watch.log.expect(reader_event_kind::card_inserted, reader(0));
    auto session = card_session::open(reader(0), {.answer_limit = 10s});
    REQUIRE(session.ok());
    iso7816_card iso(**session);
    CHECK(iso.select_ef(ballot_ef).ok());
    auto r = iso.read_binary(0, 4);
    REQUIRE(r.ok());
    CHECK(*r == bytes(4, 0));
    const pid_t child = (*session)->child();
    CHECK((*session)->close().ok());
    CHECK((*session)->child() == 0);  // the session no longer holds it: it waits, idle
    CHECK(::kill(child, 0) == 0);
}

TEST_CASE(
    "a card I/O process serves the next card after a clean session, and is replaced once "
    "it died idle") {
    auto pcscd = start_pcscd();
    reader_watch watch;
    virtual_card_connection card(blank_card(), {.reader = 0, .reconnect = false});
    card.insert();
    watch.log.expect(reader_event_kind::card_inserted, reader(0));
    // Options no other test uses, so the idle processes of earlier tests are not taken.
    const card_session_options options{.answer_limit = 5s, .pcsc = {.removal_check = 1234ms}};
    auto read_size = [&](card_session& session) {
        iso7816_card iso(session);
        REQUIRE(iso.select_ef(ballot_ef).ok());
        auto r = iso.read_binary(0, 4);
        REQUIRE(r.ok());
        CHECK(*r == bytes(4, 0));
    };

    auto first = card_session::open(reader(0), options);
    REQUIRE(first.ok());
    const pid_t process = (*first)->child();
    read_size(**first);
    REQUIRE((*first)->close().ok());
    first->reset();

    auto second = card_session::open(reader(0), options);
    REQUIRE(second.ok());
    CHECK((*second)->child() == process);  // the same process, no fork
    read_size(**second);
    REQUIRE((*second)->close().ok());
    second->reset();

    // The idle process dies (killed from outside): the next session starts a fresh one.
    REQUIRE(::kill(process, SIGKILL) == 0);
    auto third = card_session::open(reader(0), options);
    REQUIRE_MESSAGE(third.ok(), (third.ok() ? "" : third.err().message));
    CHECK((*third)->child() != process);
    CHECK((*third)->child() > 0);
    CHECK(gone(process));  // and the dead one was reaped
    read_size(**third);
    CHECK((*third)->close().ok());
    third->reset();
    card.remove();
    watch.log.expect(reader_event_kind::card_removed, reader(0));

    // A refused open (no card) leaves the process idle and well: the next open reuses it.
    auto no_card = card_session::open(reader(0), options);
    REQUIRE_FALSE(no_card.ok());
    CHECK(no_card.err().code.rfind("card.", 0) == 0);
    virtual_card_connection next_card(blank_card(), {.reader = 0, .reconnect = false});
    next_card.insert();
    watch.log.expect(reader_event_kind::card_inserted, reader(0));
    auto fourth = card_session::open(reader(0), options);
    REQUIRE(fourth.ok());
    read_size(**fourth);
    CHECK((*fourth)->close().ok());
}
