// protocol_commands: the control socket's print and export commands (docs/control-protocol.md)
// on top of the protocol library: the report is recomputed from the ledger file alone, opened
// read-only beside the poll_day's write connection (WAL), and the stored, re-verified package.
//
// print: the zero report while the polls are open and no ballot is cast, the result protocol
// once closed; signed with the appliance key (appliance.pem in the state directory), rendered
// to <state>/protocol-<kind>.pdf, then printed through CUPS to the configured queue in the
// requested copies, or, with no printer configured, the PDF stays saved there (the answer
// says where). export: the same report, signed, written to <state>/export (protocol.json,
// .sig, appliance.pub.pem, checkpoint.txt, protocol.nist.json) and read back, so that the
// answer can carry the files to `ballotbox export --to DIR`, which writes them where the chair
// can reach (the daemon's sandbox may write only its state directory).
//
// Errors are values: "daemon.no_report" (no report in this state), the election.*,
// appliance.* (package, key), protocol.* and print.* errors. A failed print leaves the PDF in
// the state directory; a failed export leaves whole files already written.
// Printing waits for the CUPS job (up to the print library's timeout, 120 s) on the calling
// thread, the daemon's loop, pinging the systemd watchdog between polls. That blocks cards and
// status for the time CUPS takes (a few seconds with a working printer), which is accepted:
// the zero report is printed at the opening before the first voter, the result protocol after
// the close, when no card is taken any more (see docs/control-protocol.md).
// Thread safety: none (call from the daemon's loop thread).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "appliance/poll_state.h"
#include "common/clock.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "protocol/protocol_document.h"

namespace ballotbox::daemon {

struct protocol_context {
    std::filesystem::path state_dir;
    const crypto::ed25519_public_key* commission_key = nullptr;
    std::optional<std::string> station_id;
    std::optional<std::string> printer;   // CUPS queue; none: save the PDF
    const clock_source* clock = nullptr;  // the appliance clock (printing time)
    appliance::poll_state state = appliance::poll_state::unconfigured;
    std::uint64_t cast = 0;  // ballots in the box
};

struct print_result {
    protocol::report_kind kind = protocol::report_kind::result;
    std::filesystem::path pdf;  // the rendered file in the state directory
    bool printed = false;
    int job_id = 0;
    int copies = 1;
    std::string printer;  // empty when saved only
    std::string message;  // for the chair
};

struct exported_file {
    std::string name;     // one of protocol::export_* (no directory part)
    std::string content;  // the file's bytes as written
};

struct export_result {
    protocol::report_kind kind = protocol::report_kind::result;
    std::filesystem::path dir;
    std::vector<exported_file> files;  // read back after writing, for the CLI's copy
};

// The kind of report this state allows. Errors: "daemon.no_report".
result<protocol::report_kind> report_kind_for(const protocol_context& ctx);

// Errors: see the header comment; "print.bad_request" for copies outside 1..20.
result<print_result> print_protocol(const protocol_context& ctx, int copies);

result<export_result> export_protocol_files(const protocol_context& ctx);

}  // namespace ballotbox::daemon
