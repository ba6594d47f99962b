// ballotbox-protocol-generator: a synthetic election (packages, registry, signed protocol
// exports) whose figures add up exactly to the 2023 Mäjilis national party-list totals.
// See tools/protocol-generator/generator.h and docs/tally.md ("Generated loads").
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include "generator.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
    std::string reference = "../shared/elections/kz-2023-majilis", out;
    std::size_t stations = 10223;
    std::uint64_t seed = 1;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    po::options_description opts(
        "ballotbox-protocol-generator: signed precinct protocols for load tests");
    opts.add_options()("help", "this help")("reference", po::value(&reference),
                                            "the kz-2023-majilis reference folder")(
        "stations", po::value(&stations), "number of polling stations (default 10223)")(
        "seed", po::value(&seed), "seed: the same seed gives the same files")(
        "out", po::value(&out), "output folder (required)")(
        "threads", po::value(&threads), "threads")("training",
                                                   "mark packages and protocols as training");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, opts), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "ballotbox-protocol-generator: " << e.what() << "\n" << opts;
        return 2;
    }
    if (vm.count("help") || out.empty()) {
        std::cout << opts;
        return vm.count("help") ? 0 : 2;
    }
    auto options = ballotbox::generator::kz_2023_options(reference);
    if (!options) {
        std::cerr << "ballotbox-protocol-generator: " << options.err().code << ": "
                  << options.err().message << "\n";
        return 1;
    }
    options->stations = stations;
    options->seed = seed;
    options->threads = threads;
    options->training = vm.count("training") > 0;
    options->out_dir = out;
    const auto t0 = std::chrono::steady_clock::now();
    auto g = ballotbox::generator::generate(*options);
    if (!g) {
        std::cerr << "ballotbox-protocol-generator: " << g.err().code << ": " << g.err().message
                  << "\n";
        return 1;
    }
    const auto s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "generated " << g->station_ids.size() << " stations in " << s << " s\n"
              << "  commission key: " << g->commission_public_key.string() << "\n"
              << "  registry:       " << g->registry.string() << "\n"
              << "  packages:       " << g->packages_dir.string() << "\n"
              << "  exports:        " << g->exports_dir.string() << "\n";
    return 0;
}
