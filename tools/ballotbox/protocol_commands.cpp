// `ballotbox print protocol [--copies N]` and `ballotbox export --to DIR`.
//
// export: ballotboxd signs the report and answers with its files (the daemon's sandbox may
// write only its own state directory, so the CLI writes where the chair can reach, e.g. a USB
// stick). The files are first written into a fresh folder inside DIR and verified there as
// `ballotbox verify-protocol` would; only a verified set is renamed into DIR, each file
// atomically, and DIR is synced. A refusal or a failed check leaves DIR as it was.
#include <stdlib.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "common/atomic_file.h"
#include "common/bytes.h"
#include "protocol/signed_protocol.h"
#include "protocol/verify_protocol.h"
#include "tools/ballotbox/cli_support.h"

namespace ballotbox::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr std::array<const char*, 5> export_names = {
    protocol::export_json, protocol::export_sig, protocol::export_pub, protocol::export_checkpoint,
    protocol::export_nist};

// Far above any protocol's files; bounds what a confused or hostile peer can make us write.
constexpr std::size_t max_export_file_bytes = 1024 * 1024;

std::string text_member(const boost::json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Removes the staging folder and whatever is in it when it goes out of scope.
class staging_folder {
  public:
    explicit staging_folder(fs::path path) : path_(std::move(path)) {}
    staging_folder(const staging_folder&) = delete;
    staging_folder& operator=(const staging_folder&) = delete;
    ~staging_folder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

result<fs::path> make_staging_folder(const fs::path& dir) {
    std::string name = (dir / ".ballotbox-export-XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr)
        return make_error("cli.export_failed", "cannot create a folder in \"" + dir.string() +
                                                   "\": " + std::strerror(errno));
    return fs::path(name);
}

// The files of an export answer, each a known name with base64 content of bounded size.
result<std::vector<std::pair<std::string, std::string>>> files_of(
    const boost::json::object& response) {
    const auto* exported = response.if_contains("export");
    const auto* files = exported != nullptr && exported->is_object()
                            ? exported->get_object().if_contains("files")
                            : nullptr;
    if (files == nullptr || !files->is_object())
        return make_error("cli.bad_response",
                          "the appliance's answer carries no files (is ballotboxd older than "
                          "this ballotbox?)");
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* name : export_names) {
        const auto* v = files->get_object().if_contains(name);
        if (v == nullptr || !v->is_string() || v->get_string().size() > 2 * max_export_file_bytes)
            return make_error("cli.bad_response",
                              std::string("the appliance's answer lacks a usable ") + name);
        auto content = from_base64(v->get_string());
        if (!content.ok() || content->size() > max_export_file_bytes)
            return make_error("cli.bad_response",
                              std::string("the appliance's answer has a malformed ") + name);
        out.emplace_back(name, std::string(as_chars(*content)));
    }
    if (files->get_object().size() != export_names.size())
        return make_error("cli.bad_response", "the appliance's answer carries unexpected files");
    return out;
}

// Writes, verifies and moves the files into dir. Errors: "cli.export_failed",
// "cli.bad_response" and the verify_export_dir codes.
result<protocol::verified_protocol> place_export(
    const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& files) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto staging_path, make_staging_folder(dir));
    staging_folder staging(staging_path);
    for (const auto& [name, content] : files)
        BALLOTBOX_TRY(write_file_atomically(staging.path() / name, content));
    BALLOTBOX_ASSIGN_OR_RETURN(auto verified, protocol::verify_export_dir(staging.path()));
    for (const auto& [name, content] : files) {
        std::error_code ec;
        fs::rename(staging.path() / name, dir / name, ec);
        if (ec)
            return make_error("cli.export_failed", "cannot move " + name + " into \"" +
                                                       dir.string() + "\": " + ec.message());
    }
    if (auto synced = sync_folder(dir); !synced)
        return make_error("cli.export_failed", synced.err().message);
    return verified;
}

}  // namespace

int cmd_print(const global_options& g0, const std::vector<std::string>& args) {
    global_options g = g0;
    auto d = common_options(
        "ballotbox print protocol [--copies N]: print the zero report (polls open, no ballot "
        "cast yet)\nor the result protocol (closed) through CUPS; with no printer configured the "
        "PDF is saved\nin the appliance's state directory and the command says where (the "
        "chair)\nOptions");
    d.add_options()("what", po::value<std::string>()->value_name("protocol"), "what to print")(
        "copies", po::value<int>()->value_name("N")->default_value(1), "copies, 1 to 20");
    po::positional_options_description pos;
    pos.add("what", 1);
    int code = 0;
    auto vm = parse_subcommand(args, d, g, code, &pos);
    if (!vm)
        return code;
    if (!vm->count("what") || (*vm)["what"].as<std::string>() != "protocol")
        return usage_error("print takes one thing to print: protocol");
    const int copies = (*vm)["copies"].as<int>();
    if (copies < 1 || copies > 20)
        return usage_error("--copies must be from 1 to 20");
    auto outcome = send_request(g, {{"command", "print"}, {"copies", copies}});
    if (outcome.code != exit_ok || g.json)
        return outcome.code;
    const auto* p = outcome.response.if_contains("print");
    if (p == nullptr || !p->is_object()) {
        std::cerr << "ballotbox: the appliance's answer says nothing of the print job\n";
        return exit_refused;
    }
    const auto& job = p->get_object();
    const auto* printed = job.if_contains("printed");
    const std::string kind = text_member(job, "kind");
    if (printed != nullptr && printed->is_bool() && printed->get_bool()) {
        const auto* id = job.if_contains("job_id");
        std::cout << "printed " << copies << (copies == 1 ? " copy" : " copies") << " of the "
                  << kind << " protocol on " << text_member(job, "printer");
        if (id != nullptr && id->is_int64())
            std::cout << " (job " << id->get_int64() << ")";
        std::cout << "\n";
    } else {
        std::cout << "not printed (no printer is configured): the " << kind
                  << " protocol is saved as " << text_member(job, "pdf") << "\n";
    }
    if (const auto message = text_member(job, "message"); !message.empty())
        std::cout << message << "\n";
    return exit_ok;
}

int cmd_export(const global_options& g0, const std::vector<std::string>& args) {
    global_options g = g0;
    auto d = common_options(
        "ballotbox export --to DIR: write the signed protocol for upload into DIR (e.g. a USB "
        "stick):\nprotocol.json, its signature, the appliance's public key, the final checkpoint "
        "and the\nNIST SP 1500-100 results. They are verified before they are put in place; a "
        "failure leaves\nDIR as it was (the chair)\nOptions");
    d.add_options()("to", po::value<std::string>()->value_name("DIR"), "an existing folder");
    int code = 0;
    auto vm = parse_subcommand(args, d, g, code);
    if (!vm)
        return code;
    if (!vm->count("to"))
        return usage_error("export needs --to DIR");
    const fs::path dir = (*vm)["to"].as<std::string>();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return usage_error("\"" + dir.string() + "\" is not an existing folder");
    auto outcome = send_request(g, {{"command", "export"}});
    if (outcome.code != exit_ok)
        return outcome.code;
    auto files = files_of(outcome.response);
    auto verified =
        files.ok() ? place_export(dir, *files) : result<protocol::verified_protocol>(files.err());
    if (!verified.ok()) {
        std::cerr << "ballotbox: export not written: " << verified.err().message << " ("
                  << verified.err().code << ")\n";
        return exit_refused;
    }
    if (!g.json) {
        std::cout << protocol::describe(*verified);
        std::cout << "written to " << dir.string() << " (digest " << verified->short_digest
                  << ")\n";
    }
    return exit_ok;
}

}  // namespace ballotbox::cli
