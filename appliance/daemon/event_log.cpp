#include "appliance/daemon/event_log.h"

#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace ballotbox::daemon {

namespace {

const std::vector<log_event_info> events = {
    {log_event::daemon_started, "daemon_started", "dfe30a2c8eff44228b8b5688235a82d9"},
    {log_event::daemon_ready, "daemon_ready", "2b7b93543adf40ec9a56498ac195f9f7"},
    {log_event::daemon_stopping, "daemon_stopping", "49ad2620dd874274bb05fdf9a3cc572c"},
    {log_event::daemon_failed, "daemon_failed", "fa43e218db6442f58aa2bdfa7db27642"},
    {log_event::socket_listening, "socket_listening", "21ac445d1bce428c8d730547fe59da83"},
    {log_event::client_refused, "client_refused", "8c1d147e43d445179bbaa3dcd64c1a94"},
    {log_event::request_refused, "request_refused", "6bf7685913ee44a0a85ac4a5a7172fe4"},
    {log_event::operator_command, "operator_command", "a88d33f6a0934dc092d2c829f9d4f788"},
    {log_event::card_result, "card_result", "5dfa0a6e299445cf9cfc5888d2b00646"},
    {log_event::reader_changed, "reader_changed", "916431d6a1984a70962476d3c005aa30"},
    {log_event::pcsc_service_lost, "pcsc_service_lost", "3334f0f906784e56bc70386f33c9482f"},
    {log_event::pcsc_service_back, "pcsc_service_back", "1dbbf0e1141b45049929004d93121b39"},
    {log_event::tick_failed, "tick_failed", "aa60d6aa17574f56b3542597896bdb61"},
    {log_event::watch_client_dropped, "watch_client_dropped", "dc9b475dead74a728e22fdc2cf8d555c"},
};

// A value on one stderr line: no control characters (a hostile value cannot forge lines).
std::string printable(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value)
        out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
    return out;
}

std::string upper(std::string_view name) {
    std::string out;
    for (unsigned char c : name)
        out.push_back(std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_');
    return out;
}

}  // namespace

const log_event_info& info(log_event kind) {
    return events.at(static_cast<std::size_t>(kind));
}

const std::vector<log_event_info>& all_log_events() {
    return events;
}

log_sink choose_log_sink(std::string_view option) {
    if (option == "journal")
        return log_sink::journal;
    if (option == "stderr")
        return log_sink::stderr_text;
    const char* stream = std::getenv("JOURNAL_STREAM");
    return stream != nullptr && *stream != '\0' ? log_sink::journal : log_sink::stderr_text;
}

void event_log::write(log_event kind, log_priority priority, std::string_view message,
                      const log_fields& fields) {
    const log_event_info& ev = info(kind);
    std::lock_guard lock(mutex_);
    const std::uint64_t seq = ++sequence_;
    if (sink_ == log_sink::stderr_text) {
        std::string line =
            "ballotboxd[" + std::to_string(seq) + "] " + ev.name + ": " + printable(message);
        for (const auto& [name, value] : fields)
            line += " " + printable(name) + "=" + printable(value);
        line += "\n";
        std::fwrite(line.data(), 1, line.size(), stderr);
        std::fflush(stderr);
        return;
    }
    std::vector<std::string> items;
    items.push_back("MESSAGE=" + std::string(message));
    items.push_back(std::string("MESSAGE_ID=") + ev.message_id);
    items.push_back("PRIORITY=" + std::to_string(static_cast<int>(priority)));
    items.push_back("SYSLOG_IDENTIFIER=ballotboxd");
    items.push_back(std::string("BALLOTBOX_EVENT=") + ev.name);
    items.push_back("BALLOTBOX_SEQ=" + std::to_string(seq));
    for (const auto& [name, value] : fields)
        items.push_back("BALLOTBOX_" + upper(name) + "=" + value);
    std::vector<iovec> iov;
    iov.reserve(items.size());
    for (auto& item : items)
        iov.push_back(iovec{item.data(), item.size()});
    (void)sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

std::uint64_t event_log::last_sequence() const {
    std::lock_guard lock(mutex_);
    return sequence_;
}

}  // namespace ballotbox::daemon
