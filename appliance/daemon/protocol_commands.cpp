#include "appliance/daemon/protocol_commands.h"

#include <thread>

#include "appliance/daemon/systemd_notify.h"
#include "appliance/state_files.h"
#include "common/read_file.h"
#include "election/signed_package.h"
#include "protocol/print/cups_printer.h"
#include "protocol/render/pdf_protocol.h"
#include "protocol/signed_protocol.h"
#include "protocol/tally.h"

namespace ballotbox::daemon {

namespace {

constexpr std::size_t max_package_file = 4 * 1024 * 1024;
constexpr const char* export_dir_name = "export";
// Far above the largest protocol (a few tens of kilobytes); bounds the read-back.
constexpr std::size_t max_export_file_bytes = 1024 * 1024;

struct signed_report {
    election::election_package package;
    protocol::signed_protocol sp;
};

result<signed_report> make_signed_report(const protocol_context& ctx, protocol::report_kind kind) {
    if (ctx.commission_key == nullptr)
        return make_error("daemon.internal", "no commission key for the report");
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto text,
        appliance::read_small_file(ctx.state_dir / appliance::package_file_name, max_package_file));
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto package, election::load_signed_package(text, *ctx.commission_key, {ctx.station_id}));
    protocol::report_request request;
    request.kind = kind;
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto rep, protocol::make_report_from_file(ctx.state_dir / appliance::ledger_file_name,
                                                  package, request));
    BALLOTBOX_ASSIGN_OR_RETURN(auto key, appliance::load_appliance_key(ctx.state_dir));
    BALLOTBOX_ASSIGN_OR_RETURN(auto sp, protocol::sign_report(rep, key));
    return signed_report{std::move(package), std::move(sp)};
}

}  // namespace

result<protocol::report_kind> report_kind_for(const protocol_context& ctx) {
    using appliance::poll_state;
    switch (ctx.state) {
        case poll_state::closed:
            return protocol::report_kind::result;
        case poll_state::open:
        case poll_state::closing:
            if (ctx.cast == 0)
                return protocol::report_kind::zero;
            return make_error("daemon.no_report",
                              "Ballots are already in the box: the result protocol can be "
                              "printed once the polls are closed.");
        case poll_state::set_up:
            return make_error("daemon.no_report",
                              "The polls are not open yet: the zero report is printed after "
                              "the opening.");
        case poll_state::unconfigured:
            break;
    }
    return make_error("daemon.no_report",
                      "The appliance is not set up: there is no election to report on.");
}

result<print_result> print_protocol(const protocol_context& ctx, int copies) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto kind, report_kind_for(ctx));
    BALLOTBOX_ASSIGN_OR_RETURN(auto signed_rep, make_signed_report(ctx, kind));
    print_result out;
    out.kind = kind;
    out.copies = copies;
    out.pdf =
        ctx.state_dir / ("protocol-" + std::string(protocol::report_kind_name(kind)) + ".pdf");
    const time_point printed_at = ctx.clock != nullptr ? ctx.clock->now() : time_point{};
    BALLOTBOX_TRY(protocol::render::write_protocol_pdf(out.pdf, signed_rep.sp, signed_rep.package,
                                                       printed_at));
    protocol::print::print_request request;
    request.pdf = out.pdf;
    request.printer = ctx.printer.value_or("");
    request.copies = copies;
    request.title = "ballotbox " + std::string(protocol::report_kind_name(kind)) + " protocol";
    request.save_dir = ctx.state_dir;
    // The loop waits for CUPS (up to the print timeout, 120 s) on this thread: keep telling
    // systemd the daemon is alive (WatchdogSec=30s would otherwise restart it mid-print).
    request.wait = [](std::chrono::milliseconds d) {
        notify_watchdog();
        std::this_thread::sleep_for(d);
    };
    BALLOTBOX_ASSIGN_OR_RETURN(auto outcome, protocol::print::print_pdf(request));
    out.printed = outcome.printed;
    out.job_id = outcome.job_id;
    out.printer = outcome.printed ? request.printer : std::string();
    if (!outcome.printed && !outcome.saved_to.empty())
        out.pdf = outcome.saved_to;
    out.message = outcome.message;
    return out;
}

result<export_result> export_protocol_files(const protocol_context& ctx) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto kind, report_kind_for(ctx));
    BALLOTBOX_ASSIGN_OR_RETURN(auto signed_rep, make_signed_report(ctx, kind));
    export_result out;
    out.kind = kind;
    out.dir = ctx.state_dir / export_dir_name;
    BALLOTBOX_TRY(protocol::export_protocol(out.dir, signed_rep.sp, signed_rep.package));
    for (const char* name : {protocol::export_json, protocol::export_sig, protocol::export_pub,
                             protocol::export_checkpoint, protocol::export_nist}) {
        BALLOTBOX_ASSIGN_OR_RETURN(
            auto content, ballotbox::read_small_file(out.dir / name, max_export_file_bytes));
        out.files.push_back({name, std::move(content)});
    }
    return out;
}

}  // namespace ballotbox::daemon
