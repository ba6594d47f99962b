// The PC/SC-free parts of the transport layer: the deadline decorator, the mapping of PC/SC
// return codes and the reconnect backoff.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cardio/card_transport_deadline.h"
#include "cardio/pcsc_error.h"
#include "cardio/reader_backoff.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace std::chrono_literals;

namespace {

// Blocks every transmit until release(); records its own destruction.
class gated_transport final : public card_transport {
  public:
    struct shared_state {
        std::mutex mutex;
        std::condition_variable changed;
        bool open = false;
        bool destroyed = false;
        int calls = 0;
    };
    explicit gated_transport(std::shared_ptr<shared_state> s) : s_(std::move(s)) {}
    ~gated_transport() override {
        std::lock_guard lock(s_->mutex);
        s_->destroyed = true;
        s_->changed.notify_all();
    }
    result<bytes> transmit(byte_view) override {
        std::unique_lock lock(s_->mutex);
        ++s_->calls;
        s_->changed.wait(lock, [&] { return s_->open; });
        return bytes{0x90, 0x00};
    }

  private:
    std::shared_ptr<shared_state> s_;
};

}  // namespace

TEST_CASE("deadline_transport passes answers through in time") {
    auto state = std::make_shared<gated_transport::shared_state>();
    state->open = true;
    deadline_transport t(std::make_shared<gated_transport>(state), 60s);
    auto r = t.transmit(bytes{0x00, 0xB0, 0x00, 0x00, 0x01});
    REQUIRE(r.ok());
    CHECK(*r == bytes{0x90, 0x00});
    CHECK_FALSE(t.timed_out());
}

TEST_CASE("a card that does not answer is card.timeout, and the late call is cleaned up") {
    auto state = std::make_shared<gated_transport::shared_state>();
    {
        deadline_transport t(std::make_shared<gated_transport>(state), 20ms);
        auto r = t.transmit(bytes{0x00, 0xB0, 0x00, 0x00, 0x01});
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == "card.timeout");
        CHECK(t.timed_out());
        // Spent: later calls fail at once without reaching the card.
        CHECK(t.transmit(bytes{0x00, 0xB0, 0x00, 0x00, 0x01}).err().code == "card.timeout");
    }  // destroying the transport does not wait for the blocked call
    std::unique_lock lock(state->mutex);
    CHECK(state->calls == 1);
    CHECK_FALSE(state->destroyed);
    state->open = true;
    state->changed.notify_all();
    state->changed.wait(lock, [&] { return state->destroyed; });  // the worker dropped it
    CHECK(state->destroyed);
}

namespace {

// Blocks every transmit until abandon(), which makes the blocked call return at once, as
// card_session does by killing its card I/O process.
class abandonable_transport final : public card_transport {
  public:
    struct shared_state {
        std::mutex mutex;
        std::condition_variable changed;
        bool abandoned = false;
        bool call_returned = false;
    };
    explicit abandonable_transport(std::shared_ptr<shared_state> s) : s_(std::move(s)) {}
    result<bytes> transmit(byte_view) override {
        std::unique_lock lock(s_->mutex);
        s_->changed.wait(lock, [&] { return s_->abandoned; });
        s_->call_returned = true;
        return make_error("card.timeout", "abandoned");
    }
    bool abandon() override {
        std::lock_guard lock(s_->mutex);
        s_->abandoned = true;
        s_->changed.notify_all();
        return true;
    }

  private:
    std::shared_ptr<shared_state> s_;
};

}  // namespace

TEST_CASE("deadline_transport abandons a transport that can be abandoned and joins its call") {
    auto state = std::make_shared<abandonable_transport::shared_state>();
    auto inner = std::make_shared<abandonable_transport>(state);
    std::weak_ptr<abandonable_transport> watch = inner;
    deadline_transport t(std::move(inner), 20ms);
    auto r = t.transmit(bytes{0x00, 0xB0, 0x00, 0x00, 0x01});
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "card.timeout");
    CHECK(r.err().message.find("20 ms") != std::string::npos);
    // When transmit() returned, the late call had returned and nothing held the inner
    // transport any more: no thread is left behind.
    std::lock_guard lock(state->mutex);
    CHECK(state->abandoned);
    CHECK(state->call_returned);
    CHECK(watch.expired());
}

TEST_CASE("PC/SC return codes map to the card errors a poll worker can act on") {
    struct expectation {
        LONG rc;
        const char* code;
    };
    const expectation table[] = {
        {SCARD_E_NO_SERVICE, "card.service_unavailable"},
        {SCARD_E_SERVICE_STOPPED, "card.service_unavailable"},
        {SCARD_F_COMM_ERROR, "card.service_unavailable"},
        {SCARD_W_REMOVED_CARD, "card.removed"},
        {SCARD_E_NO_SMARTCARD, "card.removed"},
        {SCARD_E_READER_UNAVAILABLE, "card.reader_gone"},
        {SCARD_E_UNKNOWN_READER, "card.reader_gone"},
        {SCARD_E_NO_READERS_AVAILABLE, "card.no_reader"},
        {SCARD_E_TIMEOUT, "card.timeout"},
        {SCARD_W_UNRESPONSIVE_CARD, "card.unresponsive"},
        {SCARD_W_UNPOWERED_CARD, "card.unresponsive"},
        {SCARD_E_SHARING_VIOLATION, "card.busy"},
        {SCARD_W_RESET_CARD, "card.reset"},
        {SCARD_E_CANCELLED, "card.cancelled"},
        {SCARD_E_PROTO_MISMATCH, "card.unsupported"},
        {SCARD_W_UNSUPPORTED_CARD, "card.unsupported"},
        {SCARD_E_NOT_TRANSACTED, "card.transmission_failed"},
        {SCARD_E_COMM_DATA_LOST, "card.transmission_failed"},
        {SCARD_F_INTERNAL_ERROR, "card.pcsc_error"},
        {SCARD_E_INVALID_HANDLE, "card.service_unavailable"},
        {SCARD_E_INVALID_PARAMETER, "card.pcsc_error"},
    };
    for (const auto& e : table) {
        CAPTURE(e.rc);
        auto err = pcsc_error(e.rc, "SCardTransmit");
        CHECK(err.code == e.code);
        CHECK_FALSE(err.message.empty());
        if (std::string(e.code) != "card.removed") {
            CHECK(err.message.find("SCardTransmit") != std::string::npos);
        }
    }
    CHECK(pcsc_error(SCARD_W_REMOVED_CARD, "SCardTransmit").message ==
          "card removed too early: insert it again");
    CHECK(check_pcsc(SCARD_S_SUCCESS, "SCardConnect").ok());
    CHECK(check_pcsc(SCARD_E_TIMEOUT, "SCardConnect").err().code == "card.timeout");
    CHECK(is_service_lost(SCARD_E_NO_SERVICE));
    CHECK(is_service_lost(SCARD_E_SERVICE_STOPPED));
    CHECK(is_service_lost(SCARD_E_INVALID_HANDLE));
    CHECK_FALSE(is_service_lost(SCARD_W_REMOVED_CARD));
    CHECK_FALSE(is_service_lost(SCARD_E_TIMEOUT));
}

TEST_CASE("reconnect backoff doubles from the initial delay up to the maximum") {
    const backoff_policy p{.initial = 100ms, .maximum = 1000ms};
    CHECK(backoff_delay(p, 0) == 100ms);
    CHECK(backoff_delay(p, 1) == 200ms);
    CHECK(backoff_delay(p, 2) == 400ms);
    CHECK(backoff_delay(p, 3) == 800ms);
    CHECK(backoff_delay(p, 4) == 1000ms);
    CHECK(backoff_delay(p, 1000000) == 1000ms);
    CHECK(backoff_delay({.initial = 5000ms, .maximum = 10ms}, 0) == 10ms);
    CHECK(backoff_delay({.initial = 0ms, .maximum = 10ms}, 1) == 1ms);
}

TEST_CASE("interrupt() ends a backoff wait in progress and every later one") {
    // Fails by hanging (CTest's timeout) if an interrupt is lost.
    condition_backoff_waiter w;
    std::atomic<int> waits_done{0};
    std::thread waiter([&] {
        w.wait_for(std::chrono::hours(24));
        ++waits_done;
        w.wait_for(std::chrono::hours(24));
        ++waits_done;
    });
    w.interrupt();
    waiter.join();
    CHECK(waits_done == 2);
}
