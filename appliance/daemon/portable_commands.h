// portable_commands: the control socket's portable-box commands (docs/portable-box.md,
// docs/control-protocol.md) on top of poll_day: portable_kit, register_portable,
// import_portable and portable_not_used.
//
// import_portable receives the portable ledger's bytes (the CLI reads the file the chair
// brought, so the daemon's sandbox never reads outside its state directory). They are
// written to <state>/portable/incoming-<sha256>.sqlite (0600, atomically), checked and
// imported by poll_day; an imported ledger is kept as <state>/portable/<key>.sqlite for the
// auditors, a refused one is removed. Errors come back as error responses with the
// appliance.*, portable.* and file.* codes.
// Thread safety: none (call from the daemon's loop thread).
#pragma once

#include <boost/json/object.hpp>
#include <filesystem>

#include "appliance/daemon/control_request.h"
#include "appliance/poll_day.h"

namespace ballotbox::daemon {

boost::json::object run_portable_command(appliance::poll_day& day,
                                         const std::filesystem::path& state_dir,
                                         control_request& request);

}  // namespace ballotbox::daemon
