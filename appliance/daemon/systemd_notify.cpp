#include "appliance/daemon/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <string>

namespace ballotbox::daemon {

void notify_ready() {
    (void)sd_notify(0, "READY=1\nSTATUS=ballotboxd: ready");
}

void notify_stopping() {
    (void)sd_notify(0, "STOPPING=1");
}

void notify_status(std::string_view text) {
    std::string line = "STATUS=";
    for (char c : text)
        line.push_back(c == '\n' ? ' ' : c);
    (void)sd_notify(0, line.c_str());
}

void notify_watchdog() {
    (void)sd_notify(0, "WATCHDOG=1");
}

std::chrono::microseconds watchdog_interval() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
        return std::chrono::microseconds(0);
    return std::chrono::microseconds(usec / 2);
}

}  // namespace ballotbox::daemon
