// ballotboxd: the poll-day daemon's entry point (see daemon_run.h and --help).
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "appliance/daemon/daemon_options.h"
#include "appliance/daemon/daemon_run.h"
#include "appliance/daemon/event_log.h"

int main(int argc, char** argv) {
    using namespace ballotbox::daemon;
    // A control client that disconnects mid-write must not kill the daemon.
    ::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    auto options = parse_daemon_options(args);
    if (!options.ok()) {
        std::fprintf(stderr, "ballotboxd: %s\n", options.err().message.c_str());
        return 2;
    }
    if (options->help_requested) {
        std::fputs(options->help_text.c_str(), stdout);
        return 0;
    }
    if (options->version_requested) {
        std::puts("ballotboxd 0.1.0");
        return 0;
    }
    event_log log(choose_log_sink(options->log));
    return run_daemon(*options, log);
}
