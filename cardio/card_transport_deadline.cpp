#include "cardio/card_transport_deadline.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace ballotbox::cardio {
namespace {

// Shared between the caller and the worker; whoever finishes last frees it.
struct pending_call {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<result<bytes>> answer;
};

error timeout_error(std::chrono::milliseconds limit) {
    return make_error("card.timeout", "the card did not answer within " +
                                          std::to_string(limit.count()) +
                                          " ms: take it out and insert it again; if it "
                                          "happens again, put this card aside");
}

}  // namespace

bool deadline_transport::abandon() {
    std::shared_ptr<card_transport> inner;
    {
        std::lock_guard guard(inner_mutex_);
        inner = inner_;
    }
    return inner && inner->abandon();
}

result<bytes> deadline_transport::transmit(byte_view command_apdu) {
    if (timed_out_)
        return timeout_error(limit_);
    auto call = std::make_shared<pending_call>();
    std::thread worker([call, inner = std::shared_ptr<card_transport>(inner_),
                        command = bytes(command_apdu.begin(), command_apdu.end())]() {
        auto answer = inner->transmit(command);
        std::lock_guard lock(call->mutex);
        call->answer.emplace(std::move(answer));
        call->done.notify_one();
    });
    std::unique_lock lock(call->mutex);
    if (!call->done.wait_for(lock, limit_, [&] { return call->answer.has_value(); })) {
        lock.unlock();
        timed_out_ = true;
        std::shared_ptr<card_transport> inner;
        {
            std::lock_guard guard(inner_mutex_);
            inner = std::move(inner_);
        }
        if (inner->abandon())
            worker.join();  // the late call returns at once now
        else
            worker.detach();  // it keeps its own reference to the inner transport
        return timeout_error(limit_);
    }
    lock.unlock();
    worker.join();
    return std::move(*call->answer);
}

}  // namespace ballotbox::cardio
