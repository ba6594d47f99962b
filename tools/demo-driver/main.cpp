// demo-driver: plays the voters of tools/demo against a running ballotboxd (see voter_day.h).
// Prints one JSON line with the counts on stdout; progress and the refusal messages on
// stderr. `--request JSON` instead sends one control request and prints its response (for
// the commands the ballotbox CLI does not have: print, export). Exit: 0 the day went as
// expected (or the request was answered ok), 1 a card or the daemon did something
// unexpected (the message says what), 2 bad usage. --lanes L: see voter_day.h.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "tools/ballotbox/control_client.h"
#include "tools/demo-driver/card_moves.h"
#include "tools/demo-driver/voter_day.h"

namespace {

constexpr const char* usage =
    "usage: demo-driver --socket PATH --booth-key BOOTH.pem [--voters N] [--seed S] "
    "[--lanes L] [--no-bar]\n"
    "  --lanes L  voters in L parallel lanes, each a table reader and a booth reader "
    "(default: as many as PC/SC lists, at most 7)\n"
    "       demo-driver --socket PATH --request JSON\n";

int one_request(const std::string& socket, const std::string& json) {
    boost::system::error_code ec;
    auto v = boost::json::parse(json, ec);
    if (ec || !v.is_object()) {
        std::fprintf(stderr, "demo-driver: --request needs a JSON object\n");
        return 2;
    }
    auto client = ballotbox::cli::control_client::connect(socket);
    if (!client.ok()) {
        std::fprintf(stderr, "demo-driver: %s\n", client.err().message.c_str());
        return 1;
    }
    auto r = client->request(v.as_object());
    if (!r.ok()) {
        std::fprintf(stderr, "demo-driver: %s\n", r.err().message.c_str());
        return 1;
    }
    std::printf("%s\n", boost::json::serialize(*r).c_str());
    return r->contains("ok") && r->at("ok") == true ? 0 : 1;
}

bool parse_u64(const char* text, std::uint64_t& out) {
    char* end = nullptr;
    errno = 0;
    const auto v = std::strtoull(text, &end, 10);
    if (errno || !end || *end || text[0] == '-' || text[0] == '\0')
        return false;
    out = v;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ballotbox;
    demo::day_options options;
    std::string booth_key_path;
    std::string request;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--socket" && has_value)
            options.socket = argv[++i];
        else if (a == "--request" && has_value)
            request = argv[++i];
        else if (a == "--booth-key" && has_value)
            booth_key_path = argv[++i];
        else if (a == "--voters" && has_value) {
            if (!parse_u64(argv[++i], options.voters) || options.voters == 0 ||
                options.voters > 100000) {
                std::fprintf(stderr, "demo-driver: --voters must be 1..100000\n");
                return 2;
            }
        } else if (a == "--seed" && has_value) {
            if (!parse_u64(argv[++i], options.seed)) {
                std::fprintf(stderr, "demo-driver: --seed must be a non-negative integer\n");
                return 2;
            }
        } else if (a == "--lanes" && has_value) {
            std::uint64_t lanes = 0;
            if (!parse_u64(argv[++i], lanes) || lanes == 0 || lanes > demo::max_lanes) {
                std::fprintf(stderr, "demo-driver: --lanes must be 1..%d\n", demo::max_lanes);
                return 2;
            }
            options.lanes = static_cast<int>(lanes);
        } else if (a == "--no-bar")
            options.progress_on_tty = false;
        else {
            std::fprintf(stderr, "%s", usage);
            return 2;
        }
    }
    if (!options.socket.empty() && !request.empty())
        return one_request(options.socket.string(), request);
    if (options.socket.empty() || booth_key_path.empty()) {
        std::fprintf(stderr, "%s", usage);
        return 2;
    }
    auto key = crypto::ed25519_private_key::load(booth_key_path);
    if (!key.ok()) {
        std::fprintf(stderr, "demo-driver: the booth key %s: %s\n", booth_key_path.c_str(),
                     key.err().message.c_str());
        return 1;
    }
    auto day = demo::run_voter_day(options, *key);
    if (!day.ok()) {
        std::fprintf(stderr, "\ndemo-driver: %s: %s\n", day.err().code.c_str(),
                     day.err().message.c_str());
        return 1;
    }
    std::printf(
        "{\"voters\":%llu,\"issued\":%llu,\"cast\":%llu,\"cancelled\":%llu,\"refused\":%llu,"
        "\"already_recorded\":%llu,\"seconds_per_voter\":%.3f,\"lanes\":%d,"
        "\"voting_seconds\":%.1f,\"voters_per_second\":%.2f}\n",
        static_cast<unsigned long long>(day->voters), static_cast<unsigned long long>(day->issued),
        static_cast<unsigned long long>(day->cast), static_cast<unsigned long long>(day->cancelled),
        static_cast<unsigned long long>(day->refused),
        static_cast<unsigned long long>(day->already_recorded), day->seconds_per_voter, day->lanes,
        day->voting_seconds,
        day->voting_seconds > 0 ? static_cast<double>(day->voters) / day->voting_seconds : 0.0);
    return 0;
}
