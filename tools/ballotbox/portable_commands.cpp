// The portable ballot box's commands (docs/portable-box.md): portable-kit --to DIR,
// register-portable --key FILE, import-portable FILE, portable-not-used.
#include <openssl/crypto.h>

#include <iostream>

#include "common/atomic_file.h"
#include "common/bytes.h"
#include "tools/ballotbox/cli_support.h"

namespace ballotbox::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// What fits in one import_portable request line (2 MiB) once in base64, with room for the
// rest of the request.
constexpr std::size_t max_portable_ledger_bytes = (2 * 1024 * 1024 - 4096) / 4 * 3;

std::string text_member(const boost::json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int kit_command(global_options& g, const po::variables_map& vm) {
    if (!vm.count("to"))
        return usage_error("portable-kit needs --to DIR");
    const fs::path dir = vm["to"].as<std::string>();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return usage_error("\"" + dir.string() + "\" is not an existing folder");
    auto outcome = send_request(g, {{"command", "portable_kit"}});
    if (outcome.code != exit_ok)
        return outcome.code;
    auto* kit = outcome.response.if_contains("portable_kit");
    if (kit == nullptr || !kit->is_string()) {
        std::cerr << "ballotbox: the appliance's answer carries no kit\n";
        return exit_refused;
    }
    auto& text = kit->get_string();
    const auto path = dir / "portable-kit.json";
    auto written = write_file_atomically(path, std::string_view(text), 0600);
    OPENSSL_cleanse(text.data(), text.size());
    if (!written) {
        std::cerr << "ballotbox: the kit was not written: " << written.err().message << "\n";
        return exit_refused;
    }
    if (!g.json)
        std::cout << "kit written to " << path.string()
                  << " (it holds a secret: carry it like the blank cards, delete it after the "
                     "portable box's setup)\n";
    return exit_ok;
}

int import_command(global_options& g, const po::variables_map& vm) {
    if (!vm.count("file"))
        return usage_error("import-portable needs the portable box's ledger FILE");
    std::string why;
    auto content = read_file_bounded(vm["file"].as<std::string>(), max_portable_ledger_bytes, why);
    if (!content)
        return usage_error(why);
    auto outcome = send_request(
        g, {{"command", "import_portable"}, {"ledger", to_base64(as_bytes(*content))}});
    if (outcome.code != exit_ok || g.json)
        return outcome.code;
    const auto* imported = outcome.response.if_contains("import");
    if (imported == nullptr || !imported->is_object()) {
        std::cerr << "ballotbox: the appliance's answer says nothing of the import\n";
        return exit_refused;
    }
    const auto& o = imported->get_object();
    auto number = [&](const char* name) {
        const auto* v = o.if_contains(name);
        return v != nullptr && v->is_int64() ? v->get_int64() : std::int64_t(-1);
    };
    std::cout << "imported portable box " << text_member(o, "key").substr(0, 16) << ": "
              << number("ballots") << " ballots into the box, " << number("issued")
              << " cards issued and " << number("cancelled") << " cancelled there";
    if (number("already_in_box") > 0)
        std::cout << "; " << number("already_in_box")
                  << " ballots were already in the box here and count once";
    std::cout << "\n";
    return exit_ok;
}

}  // namespace

int cmd_portable(const global_options& g0, const std::string& command,
                 const std::vector<std::string>& args) {
    global_options g = g0;
    std::string title = command == "portable-kit"
                            ? "ballotbox portable-kit --to DIR: write the kit that sets up the "
                              "station's portable ballot box\n(DIR/portable-kit.json, mode 0600; "
                              "before the opening or during the day)"
                        : command == "register-portable"
                            ? "ballotbox register-portable --key FILE: record the portable "
                              "box's public key (the PEM its setup\nwrote with --key-to) in this "
                              "station's ledger"
                        : command == "import-portable"
                            ? "ballotbox import-portable FILE: check the closed portable box's "
                              "ledger completely and enter\nits ballots into this station's box "
                              "(nothing is entered if any check fails)"
                            : "ballotbox portable-not-used: record that the registered portable "
                              "box was not used (printed\non the protocol; the close waits for "
                              "this or the import)";
    auto d = common_options(title + "\nOptions");
    po::positional_options_description pos;
    if (command == "portable-kit")
        d.add_options()("to", po::value<std::string>()->value_name("DIR"), "an existing folder");
    if (command == "register-portable")
        d.add_options()("key", po::value<std::string>()->value_name("FILE"),
                        "the portable box's public key (PEM)");
    if (command == "import-portable") {
        d.add_options()("file", po::value<std::string>()->value_name("FILE"),
                        "the portable box's ledger.sqlite");
        pos.add("file", 1);
    }
    int code = 0;
    auto vm = parse_subcommand(args, d, g, code, &pos);
    if (!vm)
        return code;
    if (command == "portable-kit")
        return kit_command(g, *vm);
    if (command == "import-portable")
        return import_command(g, *vm);
    if (command == "portable-not-used") {
        int result = send_request(g, {{"command", "portable_not_used"}}).code;
        if (result == exit_ok && !g.json)
            std::cout << "recorded: the portable ballot box was not used\n";
        return result;
    }
    if (!vm->count("key"))
        return usage_error("register-portable needs --key FILE");
    std::string why;
    auto pem = read_file_bounded((*vm)["key"].as<std::string>(), 1024, why);
    if (!pem)
        return usage_error(why);
    int result = send_request(g, {{"command", "register_portable"}, {"key", *pem}}).code;
    if (result == exit_ok && !g.json)
        std::cout << "registered the portable box's key\n";
    return result;
}

}  // namespace ballotbox::cli
