#include "tally/run_tally.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

#include "tally/election_index.h"
#include "tally/registry.h"
#include "tally/report_output.h"
#include "tally/tally_report.h"

namespace ballotbox::tally {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

int fatal(const error& e) {
    std::cerr << "ballotbox-tally: " << e.code << ": " << e.message << "\n";
    return 1;
}

result<std::vector<fs::path>> list_dir(const fs::path& dir, bool want_dirs) {
    std::error_code ec;
    std::vector<fs::path> out;
    fs::directory_iterator it(dir, ec), end;
    if (ec)
        return make_error("tally.unreadable_dir", dir.string() + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec)
            return make_error("tally.unreadable_dir", dir.string() + ": " + ec.message());
        const bool is_dir = it->is_directory(ec);
        if (want_dirs ? is_dir : (!is_dir && it->path().extension() == ".json"))
            out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string now_rfc3339() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

int run_tally(int argc, char** argv) {
    po::options_description opts(
        "ballotbox-tally: verify precinct protocols, add them up, allocate seats");
    std::string keys, commission, nist, package_dir, exports;
    std::vector<std::string> packages, dirs;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    opts.add_options()("help", "this help")(
        "keys", po::value(&keys), "the registry of appliance keys (docs/tally-registry.md)")(
        "commission-key", po::value(&commission),
        "the commission's Ed25519 public key (PEM) that signed the packages")(
        "package", po::value(&packages)->composing(),
        "a signed election package (one per station; repeatable)")(
        "package-dir", po::value(&package_dir), "every *.json in this directory is a package")(
        "exports", po::value(&exports),
        "every subdirectory of this directory is a protocol export")(
        "json", "print the report as JSON instead of the table")(
        "nist", po::value(&nist), "also write NIST SP 1500-100 v2 JSON to this file")(
        "threads", po::value(&threads), "verification threads (default: the number of cores)");
    po::options_description hidden;
    hidden.add_options()("protocol-dir", po::value(&dirs)->composing());
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description pos;
    pos.add("protocol-dir", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "ballotbox-tally: " << e.what() << "\n" << opts;
        return 2;
    }
    if (vm.count("help")) {
        std::cout << opts;
        return 0;
    }
    if (keys.empty() || commission.empty() || (packages.empty() && package_dir.empty())) {
        std::cerr << "ballotbox-tally: --keys, --commission-key and --package or --package-dir are "
                     "required\n"
                  << opts;
        return 2;
    }
    auto registry = station_registry::load(keys);
    if (!registry)
        return fatal(registry.err());
    auto commission_key = crypto::ed25519_public_key::load(commission);
    if (!commission_key)
        return fatal(commission_key.err());
    std::vector<fs::path> package_files(packages.begin(), packages.end());
    if (!package_dir.empty()) {
        auto listed = list_dir(package_dir, false);
        if (!listed)
            return fatal(listed.err());
        package_files.insert(package_files.end(), listed->begin(), listed->end());
    }
    auto election = load_packages(package_files, *commission_key, threads);
    if (!election)
        return fatal(election.err());
    std::vector<fs::path> export_dirs(dirs.begin(), dirs.end());
    if (!exports.empty()) {
        auto listed = list_dir(exports, true);
        if (!listed)
            return fatal(listed.err());
        export_dirs.insert(export_dirs.end(), listed->begin(), listed->end());
    }
    auto arrivals = verify_all(export_dirs, verify_context{*election, *registry}, threads);
    auto report = make_tally(*election, std::move(arrivals));
    if (!report)
        return fatal(report.err());
    if (vm.count("json")) {
        auto text = render_json(*report);
        if (!text)
            return fatal(text.err());
        std::cout << *text;
    } else {
        std::cout << render_text(*report);
    }
    if (!nist.empty()) {
        auto text = render_nist(*report, *election, now_rfc3339());
        if (!text)
            return fatal(text.err());
        std::ofstream out(nist, std::ios::binary | std::ios::trunc);
        out << *text;
        out.close();
        if (!out)
            return fatal(make_error("tally.nist_write_failed", "Could not write " + nist + "."));
    }
    const bool clean =
        report->rejected.empty() && report->conflicts.empty() && report->missing.empty();
    return clean ? 0 : 3;
}

}  // namespace ballotbox::tally
