// systemd_notify: ballotboxd's side of the systemd service-manager protocol (sd_notify).
//
// ready() sends READY=1 once the event loop runs; status() sends a STATUS= line the chair
// sees in `systemctl status`; watchdog() sends WATCHDOG=1. watchdog_interval() is half of
// WATCHDOG_USEC when the unit has WatchdogSec= (and the variable is meant for this
// process), else zero: the loop pings at that interval, so a hung loop gets restarted.
// Outside systemd (no NOTIFY_SOCKET) every call does nothing. Failures are ignored.
//
// Thread safety: stateless; callable from any thread.
#pragma once

#include <chrono>
#include <string_view>

namespace ballotbox::daemon {

void notify_ready();
void notify_stopping();
void notify_status(std::string_view text);
void notify_watchdog();
std::chrono::microseconds watchdog_interval();

}  // namespace ballotbox::daemon
