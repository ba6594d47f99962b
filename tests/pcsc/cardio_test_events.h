// Helpers for the cardio tests through the real pcscd: an event log fed by reader_monitor's
// handler, a backoff waiter that records what it was asked, and the usual virtual cards.
//
// Waits are bounds for failure only (vpcd polls its cards every 400 ms): no test asserts a
// duration.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cardio/reader_backoff.h"
#include "cardio/reader_event.h"
#include "tests/support/pcscd_fixture.h"
#include "tools/cardsim/file_system_card.h"

namespace ballotbox::cardio_pcsc_test {

inline constexpr std::chrono::seconds seen_limit{20};

inline std::unique_ptr<test_support::pcscd_fixture> start_pcscd() {
    auto f = test_support::pcscd_fixture::start();
    REQUIRE_MESSAGE(f.ok(), (f.ok() ? "" : f.err().code + ": " + f.err().message));
    return std::move(f.value());
}

inline std::string reader(int index) {
    return test_support::pcscd_fixture::reader_name(index);
}

inline cardsim::file_system_card blank_card(bool t0 = false) {
    return cardsim::file_system_card(cardsim::blank_card_image(cardsim::default_layout()).value(),
                                     cardsim::card_options{.t0 = t0});
}

// Everything the monitor reported, in order, with a cursor for expectations in sequence.
class event_log {
  public:
    void push(const cardio::reader_event& e) {
        std::lock_guard lock(mutex_);
        events_.push_back(e);
        changed_.notify_all();
    }

    // Waits for the first event at or after the cursor of this kind (and reader, if given);
    // moves the cursor past it. Fails the test with the log if it does not come.
    cardio::reader_event expect(cardio::reader_event_kind kind, const std::string& reader = {}) {
        std::unique_lock lock(mutex_);
        std::optional<std::size_t> found;
        changed_.wait_for(lock, seen_limit, [&] {
            for (std::size_t i = cursor_; i < events_.size(); ++i)
                if (events_[i].kind == kind && (reader.empty() || events_[i].reader == reader)) {
                    found = i;
                    return true;
                }
            return false;
        });
        if (!found) {
            FAIL("expected " << cardio::to_string(kind) << " " << reader << "; log:\n"
                             << describe_locked());
        }
        cursor_ = *found + 1;
        return events_[*found];
    }

    // Events of this kind for this reader at or after the cursor, without waiting.
    std::size_t count_after_cursor(cardio::reader_event_kind kind, const std::string& reader) {
        std::lock_guard lock(mutex_);
        return static_cast<std::size_t>(
            std::count_if(events_.begin() + static_cast<std::ptrdiff_t>(cursor_), events_.end(),
                          [&](const auto& e) { return e.kind == kind && e.reader == reader; }));
    }

    std::vector<cardio::reader_event> all() {
        std::lock_guard lock(mutex_);
        return events_;
    }

    std::string describe() {
        std::lock_guard lock(mutex_);
        return describe_locked();
    }

  private:
    std::string describe_locked() const {
        std::string out;
        for (const auto& e : events_)
            out += std::string(cardio::to_string(e.kind)) + " " + e.reader + " " + e.problem.code +
                   "\n";
        return out;
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<cardio::reader_event> events_;
    std::size_t cursor_ = 0;
};

// Records every backoff delay asked for and waits only briefly, so reconnection is quick.
class recording_waiter final : public cardio::backoff_waiter {
  public:
    void wait_for(std::chrono::milliseconds delay) override {
        {
            std::lock_guard lock(mutex_);
            asked_.push_back(delay);
        }
        real_.wait_for(std::min(delay, std::chrono::milliseconds(20)));
    }
    void interrupt() override { real_.interrupt(); }
    std::vector<std::chrono::milliseconds> asked() {
        std::lock_guard lock(mutex_);
        return asked_;
    }

  private:
    std::mutex mutex_;
    std::vector<std::chrono::milliseconds> asked_;
    cardio::condition_backoff_waiter real_;
};

}  // namespace ballotbox::cardio_pcsc_test
