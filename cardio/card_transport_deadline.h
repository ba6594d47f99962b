// deadline_transport: bounds how long one transmit() may take, so a card that does not
// answer is reported as card.timeout instead of hanging the caller.
//
// Each transmit runs the inner transport's transmit on a worker thread and waits at most
// `limit` for it. If the answer is late, transmit() returns card.timeout and the transport is
// spent: it abandons the inner transport (card_transport::abandon), which for a card_session
// kills its card I/O process so the late call returns at once, and joins the worker: nothing
// is left running. Every later transmit() returns card.timeout at once without touching the
// card. Only an inner transport that cannot be abandoned (abandon() returns false; no PC/SC
// transport in this project) has its late call left to finish on the worker thread, which
// keeps the inner transport alive (shared ownership) until it returns.
//
// Thread safety: one caller at a time, as any card_transport; abandon() from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "cardio/card_transport.h"

namespace ballotbox::cardio {

class deadline_transport final : public card_transport {
  public:
    deadline_transport(std::shared_ptr<card_transport> inner, std::chrono::milliseconds limit)
        : inner_(std::move(inner)), limit_(limit) {}

    result<bytes> transmit(byte_view command_apdu) override;
    bool abandon() override;

    // True once a transmit ran past the limit.
    bool timed_out() const { return timed_out_; }

  private:
    std::mutex inner_mutex_;  // guards inner_ against abandon() from another thread
    std::shared_ptr<card_transport> inner_;
    std::chrono::milliseconds limit_;
    bool timed_out_ = false;
};

}  // namespace ballotbox::cardio
