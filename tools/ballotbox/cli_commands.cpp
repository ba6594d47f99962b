#include "tools/ballotbox/cli_commands.h"

#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "common/atomic_file.h"
#include "tools/ballotbox/cli_support.h"
#include "tools/ballotbox/control_client.h"
#include "tools/ballotbox/watch_view.h"

namespace ballotbox::cli {

namespace po = boost::program_options;

namespace {

constexpr const char* exit_codes_text =
    "\nExit status: 0 done; 1 refused by the appliance (the reason is printed); 2 bad usage;\n"
    "3 the appliance is unreachable (ballotboxd not running, no permission on its socket, or\n"
    "the connection was lost).\n";

constexpr std::size_t max_package_bytes = 2 * 1024 * 1024 - 4096;

}  // namespace

int usage_error(const std::string& message) {
    std::cerr << "ballotbox: " << message << " (see ballotbox --help)\n";
    return exit_usage;
}

std::optional<std::string> read_file_bounded(const std::string& path, std::size_t max,
                                             std::string& why) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "cannot read \"" + path + "\"";
        return std::nullopt;
    }
    std::string text(max + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max) {
        why = "\"" + path + "\" is larger than " + std::to_string(max) + " bytes";
        return std::nullopt;
    }
    return text;
}

po::options_description common_options(const std::string& title) {
    po::options_description d(title);
    d.add_options()("help,h", "print this help")(
        "socket", po::value<std::string>()->value_name("PATH"),
        "ballotboxd's control socket (default /run/ballotbox/control.sock)")(
        "json", "print the appliance's JSON response instead of text");
    return d;
}

// Parses a subcommand's arguments; nullopt after printing help (code 0) or an error (2).
std::optional<po::variables_map> parse_subcommand(const std::vector<std::string>& args,
                                                  const po::options_description& d,
                                                  global_options& g, int& code,
                                                  const po::positional_options_description* pos) {
    po::variables_map vm;
    try {
        po::command_line_parser parser(args);
        parser.options(d);
        if (pos != nullptr)
            parser.positional(*pos);
        po::store(parser.run(), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        code = usage_error(e.what());
        return std::nullopt;
    }
    if (vm.count("help")) {
        std::cout << d << exit_codes_text;
        code = exit_ok;
        return std::nullopt;
    }
    if (vm.count("socket"))
        g.socket = vm["socket"].as<std::string>();
    if (vm.count("json"))
        g.json = true;
    return vm;
}

namespace {

void print_status(const boost::json::object& s) {
    auto text = [&](const char* name) {
        const auto* v = s.if_contains(name);
        return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    const auto* training = s.if_contains("training");
    if (training != nullptr && training->is_bool() && training->get_bool())
        std::cout << "TRAINING\n";
    std::cout << "state: " << text("state") << "\n";
    if (!text("election_id").empty())
        std::cout << "election: " << text("election_id") << "  station: " << text("station_id")
                  << "\n";
    if (const auto* c = s.if_contains("counts"); c != nullptr && c->is_object()) {
        const auto& o = c->get_object();
        std::cout << "issued: " << boost::json::serialize(o.at("issued"))
                  << "  cast: " << boost::json::serialize(o.at("cast"))
                  << "  cancelled: " << boost::json::serialize(o.at("cancelled"))
                  << "  outstanding: " << boost::json::serialize(o.at("outstanding")) << "\n";
    }
    if (!text("next_style").empty())
        std::cout << "next card's ballots: " << text("next_style") << "\n";
    if (!text("opens_at_local").empty())
        std::cout << "opens: " << text("opens_at_local") << "  closes: " << text("closes_at_local")
                  << "\n";
    if (const auto* t = s.if_contains("time_to_close_seconds"); t != nullptr && t->is_int64())
        std::cout << "time to close: " << format_duration(t->get_int64()) << "\n";
    if (const auto* r = s.if_contains("table_reader"); r != nullptr)
        std::cout << "table reader: " << (r->is_string() ? std::string(r->get_string()) : "none")
                  << "\n";
    if (const auto* card = s.if_contains("last_card"); card != nullptr && card->is_object()) {
        const auto& head = card->get_object().at("headline");
        std::cout << "last card: " << card->get_object().at("outcome").as_string().c_str() << ": "
                  << head.at("en").as_string().c_str() << "\n";
    }
}

// Sends one request and reports the outcome; prints the status (or "done") for a success.
int exchange(const global_options& g, const boost::json::object& request) {
    auto outcome = send_request(g, request);
    if (outcome.code == exit_ok && !g.json) {
        const auto& response = outcome.response;
        if (const auto* card = response.if_contains("card"); card != nullptr && card->is_object())
            std::cout << card->get_object().at("headline").at("en").as_string().c_str() << "\n";
        if (const auto* s = response.if_contains("status"); s != nullptr && s->is_object())
            print_status(s->get_object());
        else
            std::cout << "done\n";
    }
    return outcome.code;
}

std::optional<std::string> read_secret_from_terminal() {
    std::cerr << "opening secret (from the sealed envelope): " << std::flush;
    termios old{};
    const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string secret;
    const bool got = static_cast<bool>(std::getline(std::cin, secret));
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        std::cerr << "\n";
    }
    if (!got)
        return std::nullopt;
    return secret;
}

void wipe(std::string& s) {
    OPENSSL_cleanse(s.data(), s.size());
    s.clear();
}

}  // namespace

request_outcome send_request(const global_options& g, const boost::json::object& request) {
    request_outcome out;
    auto client = control_client::connect(g.socket);
    if (!client.ok()) {
        std::cerr << "ballotbox: " << client.err().message << "\n";
        out.code = exit_unreachable;
        return out;
    }
    auto response = client->request(request);
    if (!response.ok()) {
        std::cerr << "ballotbox: " << response.err().message << "\n";
        out.code = exit_unreachable;
        return out;
    }
    out.response = std::move(*response);
    const auto* ok = out.response.if_contains("ok");
    const bool success = ok != nullptr && ok->is_bool() && ok->get_bool();
    if (g.json)
        std::cout << boost::json::serialize(out.response) << "\n";
    if (success) {
        out.code = exit_ok;
        return out;
    }
    if (!g.json) {
        const auto* e = out.response.if_contains("error");
        if (e != nullptr && e->is_object() && e->get_object().contains("message") &&
            e->get_object().at("message").is_string() && e->get_object().contains("code") &&
            e->get_object().at("code").is_string())
            std::cerr << "refused: " << e->at("message").as_string().c_str() << " ("
                      << e->at("code").as_string().c_str() << ")\n";
        else
            std::cerr << "refused\n";
    }
    out.code = exit_refused;
    return out;
}

int cmd_setup(const global_options& g0, const std::vector<std::string>& args) {
    global_options g = g0;
    auto d = common_options(
        "ballotbox setup --package FILE: load the signed election package (the chair, before "
        "the day)\nOptions");
    d.add_options()("package", po::value<std::string>()->value_name("FILE"),
                    "the signed election package from the territorial commission")(
        "portable-kit", po::value<std::string>()->value_name("FILE"),
        "set up as the station's portable ballot box, from the kit the station's appliance "
        "made (ballotbox portable-kit)")(
        "key-to", po::value<std::string>()->value_name("FILE"),
        "write this appliance's public key (PEM) to FILE, e.g. for register-portable");
    int code = 0;
    auto vm = parse_subcommand(args, d, g, code);
    if (!vm)
        return code;
    if (!vm->count("package"))
        return usage_error("setup needs --package FILE");
    std::string why;
    auto text = read_file_bounded((*vm)["package"].as<std::string>(), max_package_bytes, why);
    if (!text)
        return usage_error(why);
    boost::json::object request{{"command", "setup"}, {"package", *text}};
    if (vm->count("portable-kit")) {
        auto kit = read_file_bounded((*vm)["portable-kit"].as<std::string>(), 4096, why);
        if (!kit)
            return usage_error(why);
        request["portable_kit"] = *kit;
        wipe(*kit);
    }
    if (!vm->count("key-to")) {
        const int result = exchange(g, request);
        if (auto* kit = request.if_contains("portable_kit"))
            OPENSSL_cleanse(kit->get_string().data(), kit->get_string().size());
        return result;
    }
    auto outcome = send_request(g, request);
    if (auto* kit = request.if_contains("portable_kit"))
        OPENSSL_cleanse(kit->get_string().data(), kit->get_string().size());
    if (outcome.code != exit_ok)
        return outcome.code;
    const auto* setup = outcome.response.if_contains("setup");
    const auto* key = setup != nullptr && setup->is_object()
                          ? setup->get_object().if_contains("appliance_key")
                          : nullptr;
    if (key == nullptr || !key->is_string()) {
        std::cerr << "ballotbox: the appliance's answer carries no public key\n";
        return exit_refused;
    }
    const std::string path = (*vm)["key-to"].as<std::string>();
    if (auto w = write_file_atomically(path, std::string_view(key->get_string()), 0644); !w) {
        std::cerr << "ballotbox: set up, but the key was not written: " << w.err().message << "\n";
        return exit_refused;
    }
    if (!g.json)
        std::cout << "set up; this appliance's public key is in " << path << "\n";
    return exit_ok;
}

int cmd_open(const global_options& g0, const std::vector<std::string>& args) {
    global_options g = g0;
    auto d = common_options(
        "ballotbox open: open the polls with the sealed opening secret (the chair).\nThe "
        "secret is read from the terminal without echo, or from --secret-file, or (when\nstdin "
        "is not a terminal) from the first line of stdin.\nOptions");
    d.add_options()("secret-file", po::value<std::string>()->value_name("FILE"),
                    "read the secret from the first line of FILE");
    int code = 0;
    auto vm = parse_subcommand(args, d, g, code);
    if (!vm)
        return code;
    std::optional<std::string> secret;
    if (vm->count("secret-file")) {
        std::string why;
        secret = read_file_bounded((*vm)["secret-file"].as<std::string>(), 1024, why);
        if (!secret)
            return usage_error(why);
        secret = secret->substr(0, secret->find('\n'));
    } else if (::isatty(STDIN_FILENO)) {
        secret = read_secret_from_terminal();
    } else {
        std::string line;
        if (std::getline(std::cin, line))
            secret = std::move(line);
    }
    if (!secret || secret->empty())
        return usage_error("no opening secret was given");
    boost::json::object request{{"command", "open"}, {"secret", *secret}};
    wipe(*secret);
    const int result = exchange(g, request);
    auto& sent = request["secret"].as_string();
    OPENSSL_cleanse(sent.data(), sent.size());
    return result;
}

int cmd_simple(const global_options& g0, const std::string& command,
               const std::vector<std::string>& args) {
    global_options g = g0;
    std::string what = command == "status"  ? "show the appliance's state and counts"
                       : command == "close" ? "close the polls (the chair, after the closing time)"
                                            : "cancel the issued, unvoted card in the table "
                                              "reader (the poll worker confirms)";
    auto d = common_options("ballotbox " + command + ": " + what + "\nOptions");
    if (command == "close")
        d.add_options()("voters-added", po::value<std::int64_t>()->value_name("N"),
                        "voters added to the list on the day (0 to 100000), for the protocol");
    int code = 0;
    auto vm = parse_subcommand(args, d, g, code);
    if (!vm)
        return code;
    boost::json::object request{{"command", command}};
    if (vm->count("voters-added")) {
        const auto added = (*vm)["voters-added"].as<std::int64_t>();
        if (added < 0 || added > 100000)
            return usage_error("--voters-added must be from 0 to 100000");
        request["voters_added"] = added;
    }
    return exchange(g, request);
}

int cmd_style(const global_options& g0, const std::vector<std::string>& args) {
    global_options g = g0;
    auto d = common_options(
        "ballotbox style ID: the ballot style of the next issued cards (an id from the "
        "package's styles, see status)\nOptions");
    d.add_options()("id", po::value<std::string>()->value_name("ID"), "the style id");
    po::positional_options_description pos;
    pos.add("id", 1);
    int code = 0;
    auto vm = parse_subcommand(args, d, g, code, &pos);
    if (!vm)
        return code;
    if (!vm->count("id"))
        return usage_error("style needs a style id");
    return exchange(g, {{"command", "style"}, {"style", (*vm)["id"].as<std::string>()}});
}

int run_cli(const std::vector<std::string>& args) {
    global_options g;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        if (args[i] == "--socket" && i + 1 < args.size()) {
            g.socket = args[++i];
        } else if (args[i].rfind("--socket=", 0) == 0) {
            g.socket = args[i].substr(9);
        } else if (args[i] == "--json") {
            g.json = true;
        } else if (args[i] == "--help" || args[i] == "-h") {
            std::cout
                << "ballotbox [--socket PATH] [--json] COMMAND [options]: operate ballotboxd\n"
                   "\nCommands:\n"
                   "  setup --package FILE   load the signed election package\n"
                   "  open [--secret-file F] open the polls with the sealed secret\n"
                   "  status                 state, counts, times, last card\n"
                   "  close [--voters-added N]\n"
                   "                         close the polls (after the closing time)\n"
                   "  cancel                 cancel the unvoted card in the table reader\n"
                   "  style ID               ballot style of the next issued cards\n"
                   "  watch                  full-screen live view for the poll worker\n"
                   "  print protocol [--copies N]\n"
                   "                         print the zero report or the result protocol\n"
                   "  export --to DIR        write the signed protocol files for upload to DIR\n"
                   "\nThe portable ballot box (docs/portable-box.md):\n"
                   "  portable-kit --to DIR  the kit that sets up the portable box (station)\n"
                   "  setup --package F --portable-kit KIT [--key-to F]\n"
                   "                         set up as the portable box (on its laptop)\n"
                   "  register-portable --key FILE\n"
                   "                         record the portable box's key (station)\n"
                   "  import-portable FILE   enter the closed portable box's ledger (station)\n"
                   "  portable-not-used      record that the portable box was not used\n"
                   "\nOffline commands (no daemon needed):\n"
                   "  audit ...              re-derive every figure from a ledger (docs/audit.md)\n"
                   "  verify-protocol ...    check an exported protocol or its QR codes\n"
                   "  tally ...              add precinct protocols up (docs/tally.md)\n"
                   "\n`ballotbox COMMAND --help` describes each command.\n"
                << exit_codes_text;
            return exit_ok;
        } else {
            break;
        }
    }
    if (i == args.size())
        return usage_error("no command given");
    const std::string command = args[i];
    const std::vector<std::string> rest(args.begin() + static_cast<long>(i) + 1, args.end());
    if (command == "setup")
        return cmd_setup(g, rest);
    if (command == "open")
        return cmd_open(g, rest);
    if (command == "status" || command == "close" || command == "cancel")
        return cmd_simple(g, command, rest);
    if (command == "style")
        return cmd_style(g, rest);
    if (command == "watch")
        return cmd_watch(g, rest);
    if (command == "print")
        return cmd_print(g, rest);
    if (command == "export")
        return cmd_export(g, rest);
    if (command == "portable-kit" || command == "register-portable" ||
        command == "import-portable" || command == "portable-not-used")
        return cmd_portable(g, command, rest);
    return usage_error("unknown command \"" + command + "\"");
}

}  // namespace ballotbox::cli
