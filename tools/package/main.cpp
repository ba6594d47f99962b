// ballotbox-package: the territorial commission's side of an election package, for tests
// and training (docs/election-package.md). Makes commission and booth keys, completes a
// package template (booth keys, the opening secret's scrypt hash), signs it, and checks a
// signed package the way the appliance will.
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/canonical_json.h"
#include "crypto/random.h"
#include "election/package_builder.h"
#include "election/signed_package.h"

namespace po = boost::program_options;
using namespace ballotbox;

namespace {

constexpr const char* usage = R"(usage: ballotbox-package COMMAND [OPTIONS]

Commands:
  keygen --out KEY.pem [--public-out KEY.pub.pem]
      Make an Ed25519 key (a commission's or a booth terminal's); the private key file is
      written with mode 0600.
  build --template T.json --commission-key KEY.pem --opening-secret SECRET
        [--booth ID=BOOTH_KEY.pem]... [--training | --real] [--scrypt-n N] --out PACKAGE.json
      Complete a package template with the booths' public keys and the scrypt hash of the
      sealed opening secret (fresh random salt), then sign it.
  sign --in PACKAGE_DOCUMENT.json --commission-key KEY.pem --out PACKAGE.json
      Sign a complete package document as it is.
  verify --in PACKAGE.json --commission-public-key KEY.pub.pem [--station ID]
      Check a signed package as the appliance does and print what it says.

Exit codes: 0 done, 1 the package or key was refused (the reason is printed), 2 bad usage.
)";

result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("tool.unreadable", "cannot read " + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

status write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out)
        return make_error("tool.unwritable", "cannot write " + path);
    return ok_status();
}

int fail(const error& e) {
    std::cerr << "ballotbox-package: " << e.message << " [" << e.code << "]\n";
    return 1;
}

int keygen(const po::variables_map& vm) {
    auto key = crypto::ed25519_private_key::generate(crypto::system_random_source());
    if (auto s = key.save(vm["out"].as<std::string>()); !s)
        return fail(s.err());
    if (vm.count("public-out"))
        if (auto s = write_file(vm["public-out"].as<std::string>(), key.public_key().to_pem()); !s)
            return fail(s.err());
    std::cout << to_base64(key.public_key().raw()) << "\n";
    return 0;
}

result<boost::json::value> read_json(const std::string& path) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto text, read_file(path));
    return parse_json_strict(text);
}

int sign_and_write(const boost::json::value& doc, const po::variables_map& vm) {
    auto key = crypto::ed25519_private_key::load(vm["commission-key"].as<std::string>());
    if (!key)
        return fail(key.err());
    auto signed_text = election::sign_package(doc, *key);
    if (!signed_text)
        return fail(signed_text.err());
    if (auto s = write_file(vm["out"].as<std::string>(), *signed_text + "\n"); !s)
        return fail(s.err());
    return 0;
}

int build(const po::variables_map& vm) {
    auto doc = read_json(vm["template"].as<std::string>());
    if (!doc)
        return fail(doc.err());
    election::package_completion completion;
    completion.opening_secret = vm["opening-secret"].as<std::string>();
    completion.scrypt.n = vm["scrypt-n"].as<std::uint64_t>();
    if (vm.count("training"))
        completion.training = true;
    if (vm.count("real"))
        completion.training = false;
    if (vm.count("booth")) {
        for (const auto& spec : vm["booth"].as<std::vector<std::string>>()) {
            auto eq = spec.find('=');
            if (eq == std::string::npos)
                return fail(make_error("tool.usage", "--booth wants ID=KEY.pem, got " + spec));
            auto key = crypto::ed25519_private_key::load(spec.substr(eq + 1));
            if (!key) {
                auto pub = crypto::ed25519_public_key::load(spec.substr(eq + 1));
                if (!pub)
                    return fail(pub.err());
                completion.booths.push_back({spec.substr(0, eq), *pub});
            } else {
                completion.booths.push_back({spec.substr(0, eq), key->public_key()});
            }
        }
    }
    auto complete = election::complete_package(*doc, completion, crypto::system_random_source());
    if (!complete)
        return fail(complete.err());
    return sign_and_write(*complete, vm);
}

int verify(const po::variables_map& vm) {
    auto key = crypto::ed25519_public_key::load(vm["commission-public-key"].as<std::string>());
    if (!key)
        return fail(key.err());
    election::load_options options;
    if (vm.count("station"))
        options.expected_station_id = vm["station"].as<std::string>();
    auto p = election::load_signed_package_file(vm["in"].as<std::string>(), *key, options);
    if (!p)
        return fail(p.err());
    std::cout << "election     " << p->election_id << " (" << p->election_name.en << ")\n"
              << "station      " << p->station_id << ", district " << p->district_number << "\n"
              << "opens        " << election::format_local(p->time_zone, p->opens_at) << "\n"
              << "closes       " << election::format_local(p->time_zone, p->closes_at) << "\n"
              << "ballots      " << p->ballots.size() << "\n"
              << "booths       " << p->booths.size() << "\n"
              << "training     " << (p->training ? "yes" : "no") << "\n"
              << "package hash " << to_hex(p->package_hash) << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        std::cout << usage;
        return argc < 2 ? 2 : 0;
    }
    std::string command = argv[1];
    po::options_description options;
    options.add_options()("out", po::value<std::string>())("public-out", po::value<std::string>())(
        "template", po::value<std::string>())("commission-key", po::value<std::string>())(
        "commission-public-key", po::value<std::string>())(
        "opening-secret", po::value<std::string>())("booth", po::value<std::vector<std::string>>())(
        "training", "")("real", "")("scrypt-n", po::value<std::uint64_t>()->default_value(1 << 15))(
        "in", po::value<std::string>())("station", po::value<std::string>())("help,h", "");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc - 1, argv + 1, options), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "ballotbox-package: " << e.what() << "\n" << usage;
        return 2;
    }
    auto need = [&](std::initializer_list<const char*> names) {
        for (auto n : names)
            if (!vm.count(n)) {
                std::cerr << "ballotbox-package " << command << ": --" << n << " is required\n";
                return false;
            }
        return true;
    };
    if (vm.count("help")) {
        std::cout << usage;
        return 0;
    }
    if (command == "keygen")
        return need({"out"}) ? keygen(vm) : 2;
    if (command == "build")
        return need({"template", "commission-key", "opening-secret", "out"}) ? build(vm) : 2;
    if (command == "sign") {
        if (!need({"in", "commission-key", "out"}))
            return 2;
        auto doc = read_json(vm["in"].as<std::string>());
        return doc ? sign_and_write(*doc, vm) : fail(doc.err());
    }
    if (command == "verify")
        return need({"in", "commission-public-key"}) ? verify(vm) : 2;
    std::cerr << "ballotbox-package: unknown command " << command << "\n" << usage;
    return 2;
}
