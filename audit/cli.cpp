#include "audit/cli.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <iostream>

#include "audit/audit.h"

namespace ballotbox::audit {

namespace po = boost::program_options;

namespace {
constexpr const char* exit_help =
    "\nExit codes:\n"
    "  0  verified: every check holds and the ledger is closed with a final checkpoint\n"
    "  1  tampered or inconsistent, or incomplete (no final checkpoint: never verified)\n"
    "  2  unusable input: a file missing or unreadable, not a ledger, bad arguments\n";
}

int run_audit(int argc, char** argv) {
    return run_audit(argc, argv, std::cout, std::cerr);
}

int run_audit(int argc, char** argv, std::ostream& out, std::ostream& err) {
    po::options_description opts(
        "ballotbox audit: re-derives every figure of a polling station's ledger and checks it "
        "for tampering (read-only)\n\nOptions");
    std::string ledger, package, key, protocol_dir, checkpoint, qr;
    unsigned threads = 2;
    std::vector<std::string> portable;
    opts.add_options()("help,h", "this help")("ledger", po::value(&ledger),
                                              "the ledger file (ledger.sqlite), opened read-only")(
        "package", po::value(&package), "the signed election package file")(
        "commission-key", po::value(&key), "the commission's Ed25519 public key (PEM)")(
        "protocol", po::value(&protocol_dir),
        "the exported protocol directory (protocol.json, .sig, checkpoint.txt, appliance.pub.pem)")(
        "checkpoint", po::value(&checkpoint),
        "a signed checkpoint obtained elsewhere (the one printed on the protocol)")(
        "qr", po::value(&qr),
        "the texts of the protocol's QR codes (BBP1:...), one per line or space-separated")(
        "portable", po::value(&portable)->composing(),
        "an imported portable box's ledger (the station's state directory portable/KEY.sqlite); "
        "repeat for each box")("threads", po::value(&threads)->default_value(2),
                               "threads for the chain and the booth signatures")(
        "json", "one JSON object on stdout instead of text");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).run(), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        err << "ballotbox audit: " << e.what() << "\n" << opts << exit_help;
        return 2;
    }
    if (vm.count("help")) {
        out << opts << exit_help;
        return 0;
    }
    if (ledger.empty() || package.empty() || key.empty()) {
        err << "ballotbox audit: --ledger, --package and --commission-key are required\n"
            << opts << exit_help;
        return 2;
    }
    if (!checkpoint.empty() && !qr.empty()) {
        err << "ballotbox audit: give --checkpoint or --qr, not both\n";
        return 2;
    }
    bool json = vm.count("json") > 0;
    audit_inputs in;
    in.ledger = ledger;
    in.package = package;
    in.commission_key = key;
    in.threads = std::max(1u, threads);
    in.portable_ledgers.assign(portable.begin(), portable.end());
    if (!protocol_dir.empty())
        in.protocol_dir = protocol_dir;
    if (!checkpoint.empty())
        in.checkpoint = checkpoint;
    in.qr_text = qr;
    if (!json)
        in.on_check = [&](const check_line& c) { out << to_text(c) << "\n" << std::flush; };
    auto report = run(in);
    if (json) {
        out << boost::json::serialize(to_json(report)) << "\n";
    } else {
        // The checks were printed as they went; then those not run after a failure, the
        // figures and the verdict.
        if (report.first_failure)
            for (const auto& c : report.checks)
                if (c.state == check_state::not_run && c.detail.rfind("not run:", 0) == 0)
                    out << to_text(c) << "\n";
        auto text = to_text(report);
        auto figures = text.find("\nFigures:");
        out << (figures == std::string::npos ? text : text.substr(figures + 1));
    }
    return report.exit_code();
}

}  // namespace ballotbox::audit
