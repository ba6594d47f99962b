// event_log: ballotboxd's structured log lines, each of a documented kind (docs/events.md,
// "Daemon log events") with a fixed 128-bit MESSAGE_ID per kind.
//
// Under systemd (JOURNAL_STREAM set, or --log journal) a line goes to the journal through
// sd_journal_send with the fields MESSAGE, MESSAGE_ID, PRIORITY, BALLOTBOX_EVENT,
// BALLOTBOX_SEQ and one BALLOTBOX_<NAME> field per extra field; otherwise one text line
// "ballotboxd[<seq>] <event>: <message> key=value ..." goes to stderr. Fields are chosen
// by the callers; this module never sees ballot content or tokens and callers must not
// pass them (the card_result event carries only the outcome kind and reason code).
//
// A failure to write a log line is ignored (logging must never stop a poll day).
// Thread safety: write() may be called from any thread (a mutex orders the lines and the
// sequence numbers).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ballotbox::daemon {

enum class log_event {
    daemon_started,
    daemon_ready,
    daemon_stopping,
    daemon_failed,
    socket_listening,
    client_refused,
    request_refused,
    operator_command,
    card_result,
    reader_changed,
    pcsc_service_lost,
    pcsc_service_back,
    tick_failed,
    watch_client_dropped,
};

enum class log_priority { error = 3, warning = 4, notice = 5, info = 6, debug = 7 };

struct log_event_info {
    log_event kind;
    const char* name;        // BALLOTBOX_EVENT, e.g. "card_result"
    const char* message_id;  // 32 lower-case hex digits (MESSAGE_ID)
};

const log_event_info& info(log_event kind);
const std::vector<log_event_info>& all_log_events();

enum class log_sink { stderr_text, journal };

// --log auto: the journal when JOURNAL_STREAM is set (systemd connected stderr to it).
log_sink choose_log_sink(std::string_view option);

using log_fields = std::vector<std::pair<std::string, std::string>>;

class event_log {
  public:
    explicit event_log(log_sink sink) : sink_(sink) {}

    // Field names: lower-case letters, digits and '_' (upper-cased for the journal).
    void write(log_event kind, log_priority priority, std::string_view message,
               const log_fields& fields = {});

    std::uint64_t last_sequence() const;

  private:
    log_sink sink_;
    mutable std::mutex mutex_;
    std::uint64_t sequence_ = 0;
};

}  // namespace ballotbox::daemon
