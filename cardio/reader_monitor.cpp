#include "cardio/reader_monitor.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "cardio/pcsc_context.h"
#include "cardio/pcsc_error.h"
#include "cardio/reader_transition.h"

namespace ballotbox::cardio {
namespace {

constexpr const char* pnp_reader = "\\\\?PnP?\\Notification";
constexpr DWORD reader_missing = SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE | SCARD_STATE_IGNORE;

reader_event event_of(reader_event_kind kind, std::string reader = {}) {
    reader_event e;
    e.kind = kind;
    e.reader = std::move(reader);
    return e;
}

bool present(DWORD state) {
    return (state & SCARD_STATE_PRESENT) != 0;
}

}  // namespace

// Watches the readers of one established context until the service is lost or stop.
class reader_monitor::watcher {
  public:
    // lost_reported: service_lost was reported and service_back is due once readers can be
    // listed on this context (cleared then).
    watcher(reader_monitor& monitor, const pcsc_context& context, bool& lost_reported)
        : monitor_(monitor), context_(context), lost_reported_(lost_reported) {}

    // Whether readers could be listed at least once on this context.
    bool listed() const { return listed_; }

    // Returns why watching ended: the service went away (or the monitor is stopping).
    error run() {
        while (!monitor_.stopping()) {
            auto readers = context_.list_readers();
            if (!readers.ok())
                return readers.err();
            if (!listed_ && lost_reported_) {
                monitor_.emit(event_of(reader_event_kind::service_back));
                lost_reported_ = false;
            }
            listed_ = true;
            update_readers(*readers);

            std::vector<SCARD_READERSTATE> states;
            states.reserve(known_.size() + 1);
            for (auto& [name, state] : known_) {
                SCARD_READERSTATE s{};
                s.szReader = name.c_str();
                s.dwCurrentState = state;
                states.push_back(s);
            }
            if (pnp_supported_) {
                SCARD_READERSTATE s{};
                s.szReader = pnp_reader;
                s.dwCurrentState = pnp_state_;
                states.push_back(s);
            }
            if (monitor_.stopping())
                break;
            LONG rc = SCardGetStatusChange(context_.handle(),
                                           static_cast<DWORD>(monitor_.options_.poll_limit.count()),
                                           states.data(), static_cast<DWORD>(states.size()));
            if (rc == SCARD_E_TIMEOUT || rc == SCARD_E_CANCELLED || rc == SCARD_E_UNKNOWN_READER ||
                rc == SCARD_E_READER_UNAVAILABLE)
                continue;  // re-list the readers (or leave, if stopping)
            if (rc != SCARD_S_SUCCESS)
                return pcsc_error(rc, "SCardGetStatusChange");
            for (auto& s : states) {
                if (s.szReader == pnp_reader) {
                    if (s.dwEventState & SCARD_STATE_UNKNOWN)
                        pnp_supported_ = false;  // older PC/SC-lite: fall back to poll_limit
                    else
                        pnp_state_ = s.dwEventState & ~SCARD_STATE_CHANGED;
                    continue;
                }
                update_card(s);
            }
        }
        return make_error("card.monitor_stopped", "the reader monitor was stopped");
    }

  private:
    void update_readers(const std::vector<std::string>& now) {
        for (auto it = known_.begin(); it != known_.end();) {
            if (std::find(now.begin(), now.end(), it->first) != now.end()) {
                ++it;
                continue;
            }
            if (present(it->second))
                monitor_.emit(event_of(reader_event_kind::card_removed, it->first));
            monitor_.emit(event_of(reader_event_kind::reader_gone, it->first));
            it = known_.erase(it);
        }
        for (const auto& name : now) {
            if (known_.contains(name))
                continue;
            known_.emplace(name, SCARD_STATE_UNAWARE);
            monitor_.emit(event_of(reader_event_kind::reader_added, name));
        }
    }

    void update_card(const SCARD_READERSTATE& s) {
        auto it = known_.find(s.szReader);
        if (it == known_.end())
            return;
        const DWORD before = it->second;
        const DWORD after = s.dwEventState & ~SCARD_STATE_CHANGED;
        if (after & reader_missing)
            return;  // the reader is going: the next listing says so
        it->second = after;
        const reader_transition change = classify_reader_change(before, after);
        if (change.card_removed)
            monitor_.emit(event_of(reader_event_kind::card_removed, it->first));
        if (change.card_inserted) {
            const std::size_t atr_size = std::min<std::size_t>(s.cbAtr, sizeof s.rgbAtr);
            reader_event e = event_of(reader_event_kind::card_inserted, it->first);
            e.atr.assign(s.rgbAtr, s.rgbAtr + atr_size);
            e.mute = (after & SCARD_STATE_MUTE) != 0;
            monitor_.emit(std::move(e));
        }
    }

    reader_monitor& monitor_;
    const pcsc_context& context_;
    std::map<std::string, DWORD> known_;  // reader name -> last dwEventState
    DWORD pnp_state_ = SCARD_STATE_UNAWARE;
    bool pnp_supported_ = true;
    bool& lost_reported_;
    bool listed_ = false;
};

reader_monitor::reader_monitor(event_handler on_event, reader_monitor_options options)
    : on_event_(std::move(on_event)), options_(std::move(options)) {
    if (!options_.waiter)
        options_.waiter = std::make_shared<condition_backoff_waiter>();
    if (options_.poll_limit <= std::chrono::milliseconds(0))
        options_.poll_limit = std::chrono::milliseconds(2000);
    thread_ = std::thread([this] { run(); });
}

reader_monitor::~reader_monitor() {
    stop();
}

void reader_monitor::stop() {
    stopping_.store(true);
    options_.waiter->interrupt();
    {
        std::unique_lock lock(mutex_);
        while (!finished_) {
            if (has_context_)
                SCardCancel(context_handle_);
            finished_cv_.wait_for(lock, std::chrono::milliseconds(20));
        }
    }
    if (thread_.joinable())
        thread_.join();
}

void reader_monitor::emit(reader_event event) {
    if (stopping())
        return;
    on_event_(event);
}

void reader_monitor::run() {
    bool lost_reported = false;
    unsigned failed_attempts = 0;
    auto report_lost = [&](const error& why) {
        if (lost_reported)
            return;
        reader_event e = event_of(reader_event_kind::service_lost);
        e.problem = why;
        emit(std::move(e));
        lost_reported = true;
    };
    while (!stopping()) {
        auto context = pcsc_context::establish();
        if (!context.ok()) {
            report_lost(context.err());
            options_.waiter->wait_for(backoff_delay(options_.backoff, failed_attempts++));
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            context_handle_ = context->handle();
            has_context_ = true;
        }
        watcher w(*this, *context, lost_reported);
        error why = w.run();
        {
            std::lock_guard lock(mutex_);
            has_context_ = false;
        }
        if (stopping())
            break;
        // Whatever ended the watch, the context is dropped and every reader forgotten.
        report_lost(why);
        if (w.listed()) {
            failed_attempts = 0;  // it worked until now: try again at once
        } else {
            // A pcscd that accepts a context but cannot list readers (e.g. shutting down).
            options_.waiter->wait_for(backoff_delay(options_.backoff, failed_attempts++));
        }
    }
    std::lock_guard lock(mutex_);
    finished_ = true;
    finished_cv_.notify_all();
}

}  // namespace ballotbox::cardio
