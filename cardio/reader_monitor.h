// reader_monitor: watches every PC/SC reader, and readers plugged in or out later, and
// reports card and reader changes as reader_event values.
//
// The monitor owns one thread and, on it, one PC/SC context. It lists the readers and
// waits in SCardGetStatusChange on all of them plus the "\\?PnP?\Notification"
// pseudo-reader, so a reader added or removed wakes it. Events go to the handler given at
// construction, called ON THE MONITOR THREAD, one at a time, in order; the handler must
// return promptly and must not call stop() or destroy the monitor (the daemon's handler
// posts the event into its Boost.Asio loop).
//
// Order of reports: at start, reader_added for every reader, then card_inserted for every
// card already present. A card swapped between two wake-ups (PC/SC-lite's event counter
// moved by two or more while a card stayed present) is reported as card_removed then
// card_inserted; a counter one higher is the same insertion read half-updated
// (reader_transition.h). When pcscd stops (SCARD_E_NO_SERVICE,
// SCARD_E_SERVICE_STOPPED, a context it no longer knows) the monitor reports service_lost
// once, releases its context and tries again at once, then after backoff_delay(policy, n)
// for n = 0, 1, 2, ... through the backoff_waiter seam; once pcscd lists its readers again
// it reports service_back, then every reader and card afresh. Any other unexpected PC/SC
// error of the watch (pcscd refusing requests while it shuts down, for one) is handled the
// same way, with that error as the problem. One service_lost per outage, however many
// attempts fail. If pcscd is not running at start, service_lost is the first event.
//
// stop() (and the destructor) sets the stop flag, cancels the pending SCardGetStatusChange
// with SCardCancel (repeated until the thread has left, so a cancel that races the start of
// a wait is not lost), interrupts a backoff wait and joins the thread: it does not hang on a
// stopped pcscd. One SCardGetStatusChange waits at most poll_limit as a backstop.
//
// Thread safety: construct, stop and destroy from one owner thread (not the monitor thread).
#pragma once

#include <winscard.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "cardio/reader_backoff.h"
#include "cardio/reader_event.h"

namespace ballotbox::cardio {

struct reader_monitor_options {
    backoff_policy backoff;
    std::shared_ptr<backoff_waiter> waiter;  // null: a condition_backoff_waiter
    std::chrono::milliseconds poll_limit{2000};
};

class reader_monitor {
  public:
    using event_handler = std::function<void(const reader_event&)>;

    // Starts the monitor thread.
    explicit reader_monitor(event_handler on_event, reader_monitor_options options = {});
    ~reader_monitor();
    reader_monitor(const reader_monitor&) = delete;
    reader_monitor& operator=(const reader_monitor&) = delete;

    void stop();

  private:
    class watcher;

    void run();
    void emit(reader_event event);
    bool stopping() const { return stopping_.load(); }

    event_handler on_event_;
    reader_monitor_options options_;
    std::atomic<bool> stopping_{false};

    std::mutex mutex_;  // guards the fields below
    std::condition_variable finished_cv_;
    bool finished_ = false;
    bool has_context_ = false;
    SCARDCONTEXT context_handle_ = 0;

    std::thread thread_;  // last: started once everything above is ready
};

}  // namespace ballotbox::cardio
