// daemon_run: ballotboxd from parsed options to a clean stop — the io_context loop with the
// appliance_service, the control socket, the reader monitor, the tick and watchdog timers
// and SIGTERM/SIGINT handling. Returns the process exit status (0 after a clean stop, 1
// when it could not start). Blocks the calling thread, which becomes the loop thread.
#pragma once

#include "appliance/daemon/daemon_options.h"
#include "appliance/daemon/event_log.h"

namespace ballotbox::daemon {

int run_daemon(const daemon_options& options, event_log& log);

}  // namespace ballotbox::daemon
