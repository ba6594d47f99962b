#include "appliance/daemon/daemon_options.h"

#include <boost/program_options.hpp>
#include <sstream>

namespace ballotbox::daemon {

namespace po = boost::program_options;

namespace {

error usage(const std::string& message) {
    return make_error("daemon.bad_usage", message + " (see ballotboxd --help)");
}

po::options_description describe() {
    po::options_description d(
        "ballotboxd: the electronic ballot box's poll-day daemon.\n"
        "It reads ballot cards in the table's PC/SC reader, keeps the ledger in the state\n"
        "directory and takes commands on a Unix-domain control socket (JSON lines, see\n"
        "docs/control-protocol.md; the `ballotbox` CLI speaks it). Under systemd it logs to\n"
        "the journal with structured fields (docs/events.md) and sends READY/WATCHDOG.\n"
        "\nOptions");
    d.add_options()("help,h", "print this help and exit")("version", "print the version and exit")(
        "state-dir", po::value<std::string>()->value_name("DIR"),
        "state directory: ledger, appliance key, MAC key, exports (default /var/lib/ballotbox)")(
        "socket", po::value<std::string>()->value_name("PATH"),
        "control socket path (default /run/ballotbox/control.sock); created with mode 0660")(
        "socket-group", po::value<std::string>()->value_name("GROUP"),
        "group of the control socket: its members may command the appliance (default: the "
        "daemon's own group)")(
        "commission-key", po::value<std::string>()->value_name("PEM"),
        "the territorial commission's Ed25519 public key that signs election packages "
        "(default /etc/ballotbox/commission.pub.pem)")(
        "station", po::value<std::string>()->value_name("ID"),
        "this appliance's polling-station id: a package for another station is refused")(
        "table-reader", po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
        "a card reader at the registration table: every reader whose name contains NAME; give "
        "it once per table member's reader (at most 16; default: the first reader PC/SC "
        "reports)")(
        "printer", po::value<std::string>()->value_name("QUEUE"),
        "the CUPS printer queue the print command uses (default: none; the protocol PDF is "
        "saved in the state directory instead)")(
        "training-clock-start", po::value<std::string>()->value_name("YYYY-MM-DDTHH:MM"),
        "training only: start the appliance clock at this local time of the station")(
        "training-clock-speed", po::value<std::uint32_t>()->value_name("X"),
        "training only: run the appliance clock X times as fast as the real one (1 to 3600)")(
        "log", po::value<std::string>()->value_name("stderr|journal|auto"),
        "where log lines go; auto: the journal when started by systemd, else stderr");
    return d;
}

}  // namespace

result<training_clock_start> parse_training_clock_start(const std::string& text) {
    if (text.size() != 16 || text[10] != 'T')
        return usage("--training-clock-start must look like 2023-03-19T06:55, not \"" +
                     text.substr(0, 40) + "\"");
    auto date = election::parse_local_date(text.substr(0, 10));
    auto time = election::parse_time_of_day(text.substr(11));
    if (!date.ok() || !time.ok())
        return usage("--training-clock-start \"" + text + "\" is not a valid date and time");
    return training_clock_start{*date, *time};
}

result<daemon_options> parse_daemon_options(const std::vector<std::string>& args) {
    const auto description = describe();
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(description).run(), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        return usage(e.what());
    }
    daemon_options out;
    std::ostringstream help;
    help << description << "\nExit status: 0 after a clean stop (SIGTERM/SIGINT), 1 when it\n"
         << "cannot start or fails, 2 on bad usage.\n";
    out.help_text = help.str();
    out.help_requested = vm.count("help") > 0;
    out.version_requested = vm.count("version") > 0;
    auto text = [&](const char* name) -> std::optional<std::string> {
        if (!vm.count(name))
            return std::nullopt;
        return vm[name].as<std::string>();
    };
    if (auto v = text("state-dir"))
        out.state_dir = *v;
    if (auto v = text("socket"))
        out.socket_path = *v;
    out.socket_group = text("socket-group");
    if (auto v = text("commission-key"))
        out.commission_key = *v;
    out.station_id = text("station");
    if (vm.count("table-reader"))
        out.table_readers = vm["table-reader"].as<std::vector<std::string>>();
    if (out.table_readers.size() > max_table_readers)
        return usage("--table-reader may be given at most " + std::to_string(max_table_readers) +
                     " times (PC/SC serves at most 16 readers)");
    for (const auto& name : out.table_readers)
        if (name.empty() || name.size() > 128)
            return usage("--table-reader must be part of a reader's name (1 to 128 characters)");
    out.printer = text("printer");
    if (out.printer && (out.printer->empty() || out.printer->size() > 127))
        return usage("--printer must name a CUPS queue (1 to 127 characters)");
    if (auto v = text("log")) {
        if (*v != "stderr" && *v != "journal" && *v != "auto")
            return usage("--log must be stderr, journal or auto, not \"" + v->substr(0, 40) + "\"");
        out.log = *v;
    }
    if (auto v = text("training-clock-start")) {
        BALLOTBOX_ASSIGN_OR_RETURN(out.training_clock_start_at, parse_training_clock_start(*v));
    }
    if (vm.count("training-clock-speed")) {
        const std::uint32_t speed = vm["training-clock-speed"].as<std::uint32_t>();
        if (speed < 1 || speed > 3600)
            return usage("--training-clock-speed must be between 1 and 3600");
        out.training_clock_speed = speed;
    }
    if (out.training_clock_speed && !out.training_clock_start_at)
        return usage("--training-clock-speed needs --training-clock-start");
    for (const auto* empty : {&out.state_dir, &out.socket_path, &out.commission_key})
        if (empty->empty())
            return usage("a path option is empty");
    return out;
}

}  // namespace ballotbox::daemon
