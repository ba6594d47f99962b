// cardsim: a virtual ISO 7816-4 file-system card for the vpcd readers of pcscd.
//
//   cardsim new    --image FILE [--file ID:SIZE ...] [--force]
//   cardsim insert --image FILE --reader 0|1 [--t0] [--tear-after K [--tear-before-answer]]
//                  [--vanish-after N]
//                  [--malformed single-byte|no-status-word] [--malformed-from N] [--slow MS]
//                  [--no-reconnect]
//   cardsim show   --image FILE
//   cardsim booth  --reader 0|1 | --reader-name NAME --key FILE --election HEX --station ID
//                  --choice C [--choice C ...]
//   cardsim booth-key --out FILE
//
// Exit status: 0 done, 1 failed (with a message on stderr), 2 wrong usage.
#include <signal.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cardio/booth_signature.h"
#include "cardio/card_session.h"
#include "common/bytes.h"
#include "crypto/random.h"
#include "tools/cardsim/booth.h"
#include "tools/cardsim/card_image.h"
#include "tools/cardsim/virtual_card_connection.h"
#include "tools/cardsim/vpcd.h"

namespace po = boost::program_options;
using namespace ballotbox;
using namespace ballotbox::cardsim;

namespace {

constexpr const char* overview =
    R"(cardsim: a virtual ISO 7816-4 smart card with a file system (an MF 3F00 holding
transparent EFs; SELECT, READ BINARY, UPDATE BINARY, and GET RESPONSE in T=0 mode)
for the vsmartcard vpcd readers of pcscd. Its content lives in a card image file, so one
card can be removed from one reader and inserted into another.

Usage:
  cardsim new --image FILE [--file ID:SIZE ...] [--force]
      Makes a blank card image (all bytes zero). Default: one EF 0B01 of 1024 bytes.
      --file 0B01:1024 --file 0C00:64 gives several EFs (hex id, decimal size 1..32767).
  cardsim insert --image FILE --reader 0|1 [fault options]
      Inserts the card into vpcd reader 0 (TCP 127.0.0.1:35963, "Virtual PCD 00 00") or
      1 (35964, "Virtual PCD 00 01") and serves it until SIGINT/SIGTERM, which removes it;
      then the image is saved (atomically). Waits for pcscd if it is not running yet and
      reconnects when pcscd restarts (unless --no-reconnect).
        --t0                 behave as a T=0 card: 61xx + GET RESPONSE, 6Cxx on a wrong Le
        --tear-after K       accept K bytes of UPDATE BINARY data, then tear the update
                             that passes K (write only up to K) and vanish
        --tear-before-answer with --tear-after: when byte K is the last byte of an
                             update, write that update in full and vanish before
                             answering it (the writer never learns it took effect)
        --vanish-after N     vanish (disconnect without answering) on the Nth command
        --malformed KIND     answer malformed from command --malformed-from (default 1):
                             single-byte (only the first byte of the answer) or
                             no-status-word (the data without SW1 SW2)
        --slow MS            wait MS milliseconds before every answer
  cardsim show --image FILE
      Prints each EF of the image as a hex dump.
  cardsim booth (--reader 0|1 | --reader-name NAME) --key FILE --election HEX
                --station ID --choice C [--choice C ...]
      Plays the ballot-marking terminal: through PC/SC (pcscd) on the booth's reader it
      reads the card, checks it was activated for this election (HEX: the package's
      SHA-256) and station and not voted yet, writes one choice per ballot on the card
      (C: option number in ballot order from 0, against-all, or blank) signed with the
      booth's Ed25519 key (PKCS#8 PEM), and reads it back. Any card with the ballot EF
      0B01 works, virtual or real.
  cardsim booth-key --out FILE
      Makes a new booth signing key (PEM, mode 0600) and prints its key id.
  cardsim --help
)";

int usage(const std::string& message) {
    std::cerr << "cardsim: " << message << " (see cardsim --help)\n";
    return 2;
}

int fail(const error& e) {
    std::cerr << "cardsim: " << e.message << " [" << e.code << "]\n";
    return 1;
}

// Parses argv after the subcommand; nullopt after printing a usage error.
std::optional<po::variables_map> parse(int argc, char** argv, const po::options_description& d) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(d).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        usage(e.what());
        return std::nullopt;
    }
    return vm;
}

std::optional<file_spec> parse_file_spec(const std::string& text) {
    const auto colon = text.find(':');
    if (colon != 4)
        return std::nullopt;
    auto id = from_hex(text.substr(0, 4));
    if (!id.ok())
        return std::nullopt;
    const std::string size_text = text.substr(colon + 1);
    if (size_text.empty() || size_text.size() > 5 ||
        size_text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const unsigned long size = std::stoul(size_text);
    if (size > 0xFFFF)
        return std::nullopt;
    return file_spec{static_cast<std::uint16_t>(((*id)[0] << 8) | (*id)[1]),
                     static_cast<std::uint16_t>(size)};
}

int cmd_new(int argc, char** argv) {
    po::options_description d("cardsim new");
    d.add_options()("image", po::value<std::string>()->required(), "card image to create")(
        "file", po::value<std::vector<std::string>>(), "an EF as ID:SIZE (repeatable)")(
        "force", "overwrite an existing image");
    auto vm = parse(argc, argv, d);
    if (!vm)
        return 2;
    std::vector<file_spec> layout;
    if (vm->count("file")) {
        for (const auto& text : (*vm)["file"].as<std::vector<std::string>>()) {
            auto spec = parse_file_spec(text);
            if (!spec)
                return usage("--file takes ID:SIZE, e.g. 0B01:1024, not " + text);
            layout.push_back(*spec);
        }
    } else {
        layout = default_layout();
    }
    const std::filesystem::path path = (*vm)["image"].as<std::string>();
    if (std::filesystem::exists(path) && !vm->count("force"))
        return fail(make_error("cardsim.image_exists",
                               path.string() + " exists already; --force overwrites it"));
    auto image = blank_card_image(layout);
    if (!image.ok())
        return fail(image.err());
    if (auto s = save_card_image(*image, path); !s.ok())
        return fail(s.err());
    std::cout << "cardsim: blank card image " << path.string() << " with " << image->files.size()
              << " EF(s)\n";
    return 0;
}

int cmd_insert(int argc, char** argv) {
    po::options_description d("cardsim insert");
    d.add_options()("image", po::value<std::string>()->required(), "card image")(
        "reader", po::value<int>()->required(), "vpcd reader: 0 or 1")("t0", "T=0 style")(
        "tear-after", po::value<std::size_t>(), "tear after K written bytes")(
        "tear-before-answer", "lose the answer of an update ending at byte K")(
        "vanish-after", po::value<std::size_t>(), "vanish on command N")(
        "malformed", po::value<std::string>(), "single-byte or no-status-word")(
        "malformed-from", po::value<std::size_t>()->default_value(1), "first malformed command")(
        "slow", po::value<unsigned>(), "delay before every answer, ms")("no-reconnect",
                                                                        "end when pcscd goes away");
    auto vm = parse(argc, argv, d);
    if (!vm)
        return 2;
    const int reader = (*vm)["reader"].as<int>();
    if (reader < 0 || reader >= vpcd::reader_count)
        return usage("--reader is 0 or 1");
    fault_plan plan;
    if (vm->count("tear-after"))
        plan.tear_after_bytes = (*vm)["tear-after"].as<std::size_t>();
    if (vm->count("tear-before-answer")) {
        if (!plan.tear_after_bytes)
            return usage("--tear-before-answer needs --tear-after");
        plan.tear_before_answer = true;
    }
    if (vm->count("vanish-after")) {
        plan.vanish_on_command = (*vm)["vanish-after"].as<std::size_t>();
        if (*plan.vanish_on_command == 0)
            return usage("--vanish-after counts from 1");
    }
    if (vm->count("malformed")) {
        const auto kind = (*vm)["malformed"].as<std::string>();
        if (kind == "single-byte")
            plan.malformed = malformed_kind::single_byte;
        else if (kind == "no-status-word")
            plan.malformed = malformed_kind::no_status_word;
        else
            return usage("--malformed is single-byte or no-status-word, not " + kind);
    }
    plan.malformed_from = (*vm)["malformed-from"].as<std::size_t>();
    if (vm->count("slow"))
        plan.delay = std::chrono::milliseconds((*vm)["slow"].as<unsigned>());
    const std::filesystem::path path = (*vm)["image"].as<std::string>();
    auto image = load_card_image(path);
    if (!image.ok())
        return fail(image.err());

    // Signals are taken synchronously below; the serving thread inherits the block.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    virtual_card_connection card(
        file_system_card(std::move(*image), card_options{.t0 = vm->count("t0") > 0}),
        connection_options{.reader = reader, .reconnect = vm->count("no-reconnect") == 0}, plan);
    std::cerr << "cardsim: inserting " << path.string() << " into reader " << reader
              << " (127.0.0.1:" << vpcd::reader_port(reader) << "); SIGINT/SIGTERM removes it\n";
    card.insert();
    bool announced = false;
    for (;;) {
        timespec tick{0, 200'000'000};
        const int sig = sigtimedwait(&signals, nullptr, &tick);
        if (sig == SIGINT || sig == SIGTERM)
            break;
        if (!announced && card.connected()) {
            std::cerr << "cardsim: connected to vpcd\n";
            announced = true;
        }
        if (card.wait_ended(std::chrono::milliseconds(0)))
            break;
    }
    const card_end end = card.remove();
    std::cerr << "cardsim: card " << to_string(end) << " after " << card.commands() << " command(s)"
              << (card.last_error().empty() ? "" : ": " + card.last_error()) << "\n";
    if (auto s = save_card_image(card.image(), path); !s.ok())
        return fail(s.err());
    return end == card_end::failed ? 1 : 0;
}

int cmd_show(int argc, char** argv) {
    po::options_description d("cardsim show");
    d.add_options()("image", po::value<std::string>()->required(), "card image");
    auto vm = parse(argc, argv, d);
    if (!vm)
        return 2;
    auto image = load_card_image((*vm)["image"].as<std::string>());
    if (!image.ok())
        return fail(image.err());
    for (const auto& f : image->files) {
        std::printf("EF %04X, %zu bytes\n", f.id, f.content.size());
        for (std::size_t at = 0; at < f.content.size(); at += 16) {
            std::printf("%04zX ", at);
            std::string text;
            for (std::size_t i = at; i < at + 16 && i < f.content.size(); ++i) {
                std::printf(" %02x", f.content[i]);
                text += (f.content[i] >= 0x20 && f.content[i] < 0x7F) ? char(f.content[i]) : '.';
            }
            std::printf("%*s  %s\n",
                        static_cast<int>(3 * (at + 16 - std::min(at + 16, f.content.size()))), "",
                        text.c_str());
        }
    }
    return 0;
}

int cmd_booth(int argc, char** argv) {
    po::options_description d("cardsim booth");
    d.add_options()("reader", po::value<int>(), "vpcd reader 0 or 1")(
        "reader-name", po::value<std::string>(), "PC/SC reader name")(
        "key", po::value<std::string>()->required(), "booth key (PEM)")(
        "election", po::value<std::string>()->required(), "election id, 64 hex digits")(
        "station", po::value<std::string>()->required(), "station id")(
        "choice", po::value<std::vector<std::string>>()->required(), "one per ballot");
    auto vm = parse(argc, argv, d);
    if (!vm)
        return 2;
    std::string reader;
    if (vm->count("reader-name") == vm->count("reader"))
        return usage("give either --reader or --reader-name");
    if (vm->count("reader")) {
        const int r = (*vm)["reader"].as<int>();
        if (r < 0 || r >= vpcd::reader_count)
            return usage("--reader is 0 or 1");
        reader = "Virtual PCD 00 0" + std::to_string(r);
    } else {
        reader = (*vm)["reader-name"].as<std::string>();
    }
    booth_request request;
    auto election = from_hex((*vm)["election"].as<std::string>());
    if (!election.ok() || election->size() != request.election_id.size())
        return usage("--election is the election package's SHA-256, 64 hex digits");
    std::copy(election->begin(), election->end(), request.election_id.begin());
    request.station_id = (*vm)["station"].as<std::string>();
    for (const auto& text : (*vm)["choice"].as<std::vector<std::string>>()) {
        auto c = parse_choice(text);
        if (!c.ok())
            return usage(c.err().message);
        request.choices.push_back(*c);
    }
    auto key = crypto::ed25519_private_key::load((*vm)["key"].as<std::string>());
    if (!key.ok())
        return fail(key.err());
    auto session = cardio::card_session::open(reader);
    if (!session.ok())
        return fail(session.err());
    auto voted = mark_ballot(**session, *key, request);
    if (!voted.ok())
        return fail(voted.err());
    if (auto s = (*session)->close(); !s.ok())
        return fail(s.err());
    std::cout << "cardsim: the vote is on the card; hand it in at the ballot box\n";
    return 0;
}

int cmd_booth_key(int argc, char** argv) {
    po::options_description d("cardsim booth-key");
    d.add_options()("out", po::value<std::string>()->required(), "key file to create");
    auto vm = parse(argc, argv, d);
    if (!vm)
        return 2;
    const std::filesystem::path path = (*vm)["out"].as<std::string>();
    if (std::filesystem::exists(path))
        return fail(make_error("cardsim.key_exists", path.string() + " exists already"));
    crypto::system_random random;
    const auto key = crypto::ed25519_private_key::generate(random);
    if (auto s = key.save(path); !s.ok())
        return fail(s.err());
    std::cout << "booth key id " << to_hex(cardio::booth_key_id_of(key.public_key())) << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2)
        return usage("a subcommand is needed: new, insert, show, booth, booth-key");
    const std::string sub = argv[1];
    if (sub == "--help" || sub == "-h" || sub == "help") {
        std::cout << overview;
        return 0;
    }
    if (sub == "new")
        return cmd_new(argc - 1, argv + 1);
    if (sub == "insert")
        return cmd_insert(argc - 1, argv + 1);
    if (sub == "show")
        return cmd_show(argc - 1, argv + 1);
    if (sub == "booth")
        return cmd_booth(argc - 1, argv + 1);
    if (sub == "booth-key")
        return cmd_booth_key(argc - 1, argv + 1);
    return usage("unknown subcommand " + sub);
}
