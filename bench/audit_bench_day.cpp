#include "bench/audit_bench_day.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "common/canonical_json.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "election/package_builder.h"
#include "election/signed_package.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger.h"

namespace ballotbox::bench {
namespace fs = std::filesystem;
namespace {

template <typename T>
T must(result<T> r, const char* what) {
    if (!r)
        throw std::runtime_error(std::string(what) + ": " + r.err().message);
    return std::move(*r);
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
void spit(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

std::int64_t seconds(time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

audit_day_files audit_bench_day(const fs::path& dir, std::uint64_t ballots) {
    auto name = "audit-" + std::to_string(ballots);
    audit_day_files files{dir / (name + ".sqlite"), dir / (name + ".package.json"),
                          dir / (name + ".commission.pem"), 0};
    if (fs::exists(files.ledger) && fs::exists(files.package) && fs::exists(files.commission_key))
        return files;
    fs::create_directories(dir);
    auto started = std::chrono::steady_clock::now();
    crypto::seeded_random random(ballots);
    auto tpl =
        must(parse_json_strict(slurp(fs::path(BALLOTBOX_SOURCE_DIR) /
                                     "docs/examples/kz-2023-majilis-astana-01.template.json")),
             "template");
    // Room on the list for every voter of the synthetic day (the package allows at most
    // 100,000: a larger day cannot reconcile "took part <= on the list" and fails the tally).
    tpl.as_object()["station"].as_object()["voters_on_list"] =
        static_cast<std::int64_t>(std::min<std::uint64_t>(ballots * 2, 100000));
    auto commission = crypto::ed25519_private_key::generate(random);
    std::vector<crypto::ed25519_private_key> booths{crypto::ed25519_private_key::generate(random),
                                                    crypto::ed25519_private_key::generate(random)};
    election::package_completion c;
    c.opening_secret = "bench-secret";
    c.scrypt = {1024, 8, 1};
    c.booths = {{"booth-1", booths[0].public_key()}, {"booth-2", booths[1].public_key()}};
    c.training = false;
    auto text = must(election::sign_package(
                         must(election::complete_package(tpl, c, random), "complete"), commission),
                     "sign");
    auto pk = must(election::load_signed_package(text, commission.public_key()), "load");

    fs::path scratch_dir = fs::exists("/dev/shm") ? fs::path("/dev/shm") : dir;
    auto scratch =
        scratch_dir / ("ballotbox-" + name + "-" + std::to_string(::getpid()) + ".sqlite");
    fs::remove(scratch);
    auto appliance = crypto::ed25519_private_key::generate(random);
    bytes mac_key(32);
    random.fill(mac_key);
    crypto::sha256_hasher h;
    h.update(as_bytes("ballotbox/mac-key-commitment/v1")).update(std::uint8_t{0}).update(mac_key);
    ledger::genesis_info g;
    g.election_package_sha256 = pk.package_hash;
    g.appliance_key = appliance.public_key().raw();
    g.origin = must(
        ledger::checkpoint_origin(pk.election_id, pk.station_id, appliance.public_key()), "origin");
    g.extra = {{"election_id", pk.election_id},
               {"station_id", pk.station_id},
               {"training", pk.training},
               {"mac_key_commitment", to_hex(h.finish())}};
    ledger::ledger_options options;
    options.random = &random;
    {
        auto book = must(ledger::ledger::create(scratch, options, g), "create");
        auto at = seconds(pk.opens_at);
        must(book.append(ledger::event_type::opening, {{"at", at}}), "opening");
        must(book.append_checkpoint(ledger::checkpoint_kind::opening, appliance),
             "opening checkpoint");
        const auto& style = pk.styles.front();
        std::vector<cardio::race_slot> slots;
        for (auto i : style.ballots)
            slots.push_back({static_cast<std::uint8_t>(i),
                             static_cast<std::uint8_t>(pk.ballots[i].options.size())});
        std::uint64_t issued = 0, cast = 0, cancelled = 0;
        const std::uint64_t reports = 6;
        std::uint64_t next_report = 1;
        for (std::uint64_t v = 0; cast < ballots; ++v) {
            cardio::issue_data issue{pk.package_hash, pk.station_id, slots, {}};
            random.fill(issue.token);
            auto issued_card = must(cardio::make_issued_card(mac_key, issue), "issue");
            must(book.append(ledger::event_type::issue, {{"style", style.id}}), "issue event");
            ++issued;
            if (v % 50 == 49) {
                must(book.append(ledger::event_type::cancel,
                                 {{"reason", "confirmed"}, {"token", to_hex(issue.token)}}),
                     "cancel");
                ++cancelled;
                continue;
            }
            std::vector<cardio::ballot_choice> choices;
            for (const auto& s : slots)
                choices.push_back(cardio::ballot_choice::for_option(
                    static_cast<std::uint8_t>(random.uniform(s.option_count))));
            auto voted = must(cardio::sign_as_booth(booths[v % 2], issued_card, choices), "booth");
            auto record = must(cardio::encode_card_record(voted), "encode");
            ledger::ballot b{record, bytes(voted.signature.begin(), voted.signature.end()),
                             bytes(issue.token.begin(), issue.token.end()),
                             ledger::ballot_source::stationary};
            must(book.append_cast(b), "cast");
            ++cast;
            if (next_report <= reports && cast * (reports + 1) >= next_report * ballots) {
                at += 3600;
                must(
                    book.append(
                        ledger::event_type::turnout,
                        {{"at", at}, {"issued", issued}, {"cast", cast}, {"cancelled", cancelled}}),
                    "turnout");
                must(book.append_checkpoint(ledger::checkpoint_kind::turnout, appliance),
                     "turnout checkpoint");
                ++next_report;
            }
        }
        boost::json::object extra{{"mac_key", to_hex(mac_key)},
                                  {"issued", issued},
                                  {"cast", cast},
                                  {"cancelled", cancelled},
                                  {"rejected", 0},
                                  {"outstanding", issued - cast - cancelled},
                                  {"at", seconds(pk.closes_at)},
                                  {"training", pk.training}};
        must(book.append_closing(extra), "closing");
        must(book.append_checkpoint(ledger::checkpoint_kind::final, appliance), "final checkpoint");
    }
    auto tmp = files.ledger;
    tmp += ".tmp";
    fs::copy_file(scratch, tmp, fs::copy_options::overwrite_existing);
    fs::remove(scratch);
    fs::rename(tmp, files.ledger);
    spit(files.package, text);
    spit(files.commission_key, commission.public_key().to_pem());
    files.build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return files;
}

}  // namespace ballotbox::bench
