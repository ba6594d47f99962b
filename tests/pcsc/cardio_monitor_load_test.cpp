// reader_monitor through the real pcscd on a busy machine. pcscd writes a reader's state and
// its event counter one after the other, so a client reading just after an insertion can
// see the card present with the old counter (cardio/reader_transition.h). Under load that
// happens a few times in a hundred insertions: it made ballotboxd handle one card twice.
// Here every core is kept busy while a card goes in and out of a reader, a probe reads the
// reader's state as fast as it can, and both the monitor and the probe's states replayed
// through the monitor's rule must count each insertion and removal exactly once.
#include <doctest/doctest.h>
#include <winscard.h>

#include <atomic>
#include <thread>
#include <vector>

#include "cardio/pcsc_context.h"
#include "cardio/reader_monitor.h"
#include "cardio/reader_transition.h"
#include "tests/pcsc/cardio_test_events.h"
#include "tools/cardsim/virtual_card_connection.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio_pcsc_test;
using namespace std::chrono_literals;
using cardsim::virtual_card_connection;
using kind = reader_event_kind;

namespace {

constexpr int insertions = 30;

// Keeps every core busy until destroyed.
class cpu_load {
  public:
    cpu_load() {
        const unsigned n = std::max(2u, std::thread::hardware_concurrency()) + 1;
        for (unsigned i = 0; i < n; ++i)
            threads_.emplace_back([this] {
                volatile unsigned long spin = 0;
                while (!stop_.load(std::memory_order_relaxed))
                    spin = spin + 1;
            });
    }
    ~cpu_load() {
        stop_ = true;
        for (auto& t : threads_)
            t.join();
    }

  private:
    std::atomic<bool> stop_{false};
    std::vector<std::thread> threads_;
};

// Reads one reader's state without waiting, over and over, and keeps each change.
class state_probe {
  public:
    explicit state_probe(std::string reader) : reader_(std::move(reader)) {
        thread_ = std::thread([this] { run(); });
    }
    ~state_probe() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
    }
    const std::vector<DWORD>& changes() const { return changes_; }

  private:
    void run() {
        auto context = pcsc_context::establish();
        REQUIRE(context.ok());
        DWORD last = SCARD_STATE_UNAWARE;
        while (!stop_) {
            SCARD_READERSTATE s{};
            s.szReader = reader_.c_str();
            s.dwCurrentState = SCARD_STATE_UNAWARE;
            if (SCardGetStatusChange(context->handle(), 0, &s, 1) != SCARD_S_SUCCESS)
                continue;
            const DWORD now = s.dwEventState & ~SCARD_STATE_CHANGED;
            if (now != last)
                changes_.push_back(now);
            last = now;
        }
    }
    std::string reader_;
    std::atomic<bool> stop_{false};
    std::vector<DWORD> changes_;
    std::thread thread_;
};

}  // namespace

TEST_CASE("on a busy machine each insertion is one card_inserted, half-updated states or not") {
    auto pcscd = start_pcscd();
    event_log log;
    reader_monitor monitor([&](const reader_event& e) { log.push(e); });
    log.expect(kind::reader_added, reader(0));
    state_probe probe(reader(0));
    {
        cpu_load load;
        for (int i = 0; i < insertions; ++i) {
            virtual_card_connection card(blank_card(), {.reader = 0});
            card.insert();
            log.expect(kind::card_inserted, reader(0));
            card.remove();
            log.expect(kind::card_removed, reader(0));
        }
    }
    std::this_thread::sleep_for(1s);  // anything late would show now
    probe.stop();
    CHECK(log.count_after_cursor(kind::card_inserted, reader(0)) == 0);
    CHECK(log.count_after_cursor(kind::card_removed, reader(0)) == 0);

    // The probe's states, replayed through the monitor's rule.
    int inserted = 0, removed = 0, half_updated = 0;
    DWORD before = SCARD_STATE_UNAWARE;
    for (DWORD after : probe.changes()) {
        const auto t = classify_reader_change(before, after);
        inserted += t.card_inserted ? 1 : 0;
        removed += t.card_removed ? 1 : 0;
        if (before != SCARD_STATE_UNAWARE && !(before & SCARD_STATE_PRESENT) &&
            (after & SCARD_STATE_PRESENT) && (before >> 16) == (after >> 16))
            ++half_updated;
        before = after;
    }
    MESSAGE("the probe saw " << probe.changes().size() << " states, " << half_updated
                             << " of them a card present with the counter not yet raised");
    CHECK(inserted == insertions);
    CHECK(removed == insertions);
}
