#include "generator.h"

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <thread>

#include "common/canonical_json.h"
#include "crypto/random.h"
#include "election/package_builder.h"
#include "election/signed_package.h"
#include "figures.h"
#include "ledger/checkpoint.h"
#include "tally/registry.h"

namespace ballotbox::generator {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

json::object name3(const std::string& s) {
    return json::object{{"kk", s}, {"ru", s}, {"en", s}};
}

status write_file(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        return make_error("generator.write_failed", "Could not write " + path.string() + ".");
    return ok_status();
}

std::string district_ballot_id(int d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "district-%02d", d);
    return buf;
}

json::object district_ballot(int d, int candidates) {
    json::array options;
    for (int k = 1; k <= candidates; ++k) {
        char id[32];
        std::snprintf(id, sizeof id, "candidate-%02d-%d", d, k);
        options.push_back(json::object{
            {"id", id},
            {"name", name3("Candidate " + std::to_string(k) + " of district " + std::to_string(d))},
            {"nominated_by", name3("Self-nominated")}});
    }
    return json::object{
        {"id", district_ballot_id(d)},
        {"kind", "single_member_district"},
        {"district_number", d},
        {"name", name3("Single-member district No. " + std::to_string(d) + " ballot")},
        {"against_all", true},
        {"options", std::move(options)}};
}

json::object base_package(const generator_options& o) {
    json::array parties;
    for (const auto& p : o.parties)
        parties.push_back(json::object{{"id", p.id}, {"name", name3(p.name)}});
    return json::object{
        {"format", election::package_format},
        {"training", o.training},
        {"election",
         json::object{{"id", o.election_id},
                      {"name", name3("Election of deputies of the Majilis (generated)")},
                      {"date", "2023-03-19"}}},
        {"station", json::object{}},
        {"time_zone", "Asia/Almaty"},
        {"hours", json::object{{"opens", "07:00"},
                               {"closes", "20:00"},
                               {"turnout_reports", json::array{"10:00", "12:00", "14:00", "16:00",
                                                               "18:00", "20:00"}}}},
        {"ballots", json::array{json::object{{"id", "party-list"},
                                             {"kind", "party_list"},
                                             {"name", name3("Party-list ballot")},
                                             {"against_all", true},
                                             {"options", std::move(parties)}}}},
        {"ballot_styles", json::array{}},
        {"booths", json::array{}},
        {"opening_secret", json::object{}},
        {"seat_rules", json::object{{"seats", o.seat_rules.seats},
                                    {"threshold_basis_points", o.seat_rules.threshold_basis_points},
                                    {"runner_up_min_seats", o.seat_rules.runner_up_min_seats}}}};
}

json::object ballot_json(const std::string& id, const figures::ballot& b,
                         const std::vector<std::string>& option_ids, std::int64_t voters) {
    json::array options;
    for (std::size_t i = 0; i < option_ids.size(); ++i)
        options.push_back(json::object{{"id", option_ids[i]}, {"votes", b.options[i]}});
    const auto cast = b.cast_station + b.cast_portable;
    return json::object{{"id", id},
                        {"issued_station", b.cast_station},
                        {"issued_portable", b.cast_portable},
                        {"cancelled", 0},
                        {"not_returned", 0},
                        {"cast_station", b.cast_station},
                        {"cast_portable", b.cast_portable},
                        {"took_part", cast},
                        {"options", std::move(options)},
                        {"against_all", b.against_all},
                        {"blank", b.blank},
                        {"turnout_basis_points", voters > 0 ? cast * 10000 / voters : 0}};
}

}  // namespace

result<crypto::ed25519_private_key> appliance_key_for(std::uint64_t seed,
                                                      std::string_view station_id) {
    const auto text = std::to_string(seed) + "/appliance/" + std::string(station_id);
    return crypto::ed25519_private_key::from_seed(crypto::sha256(as_bytes(text)));
}

result<generated_election> generate(const generator_options& o) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto plan, figures::plan(o));
    generated_election g;
    std::error_code ec;
    g.packages_dir = o.out_dir / "packages";
    g.exports_dir = o.out_dir / "exports";
    fs::create_directories(g.packages_dir, ec);
    fs::create_directories(g.exports_dir, ec);
    if (ec)
        return make_error("generator.write_failed",
                          "Could not create " + o.out_dir.string() + ": " + ec.message());

    crypto::seeded_random random(o.seed);
    auto commission = crypto::ed25519_private_key::generate(random);
    auto booth = crypto::ed25519_private_key::generate(random);
    g.commission_public_key = o.out_dir / "commission.pub.pem";
    BALLOTBOX_TRY(write_file(g.commission_public_key, commission.public_key().to_pem()));

    // One scrypt for all stations (cheap n = 1024): the packages only need a valid hash.
    election::package_completion completion;
    completion.opening_secret = "generated-opening-secret";
    completion.scrypt = {1024, 8, 1};
    completion.booths.push_back(election::booth_entry{"booth-1", booth.public_key()});
    auto base = election::complete_package(base_package(o), completion, random);
    if (!base)
        return base.err();

    std::vector<std::string> party_ids;
    for (const auto& p : o.parties)
        party_ids.push_back(p.id);

    const std::size_t n = o.stations;
    std::vector<std::optional<error>> failures(n);
    std::vector<crypto::ed25519_raw_public_key> keys(n);
    g.station_ids.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "station-%05zu", i + 1);
        g.station_ids[i] = id;
    }
    std::atomic<std::size_t> next{0};
    auto one = [&](std::size_t i) -> status {
        const auto& st = plan.stations[i];
        const auto& station_id = g.station_ids[i];
        const auto& region = o.regions[st.region].name;
        // The station's package.
        json::value pkg = *base;
        auto& obj = pkg.as_object();
        obj["station"] = json::object{
            {"id", station_id},
            {"number", static_cast<std::int64_t>(i + 1)},
            {"name", name3("Polling station No. " + std::to_string(i + 1))},
            {"region", name3(region)},
            {"district_number", st.district},
            {"district_name", name3("Single-member district No. " + std::to_string(st.district))},
            {"voters_on_list", st.voters_on_list}};
        const auto dballot = district_ballot_id(st.district);
        obj["ballots"].as_array().push_back(
            district_ballot(st.district, plan.candidates[static_cast<std::size_t>(st.district)]));
        obj["ballot_styles"] = json::array{
            json::object{{"id", "both"},
                         {"ballots", json::array{"party-list", json::string(dballot)}}},
            json::object{{"id", "party-list-only"}, {"ballots", json::array{"party-list"}}}};
        auto signed_text = election::sign_package(pkg, commission);
        if (!signed_text)
            return signed_text.err();
        auto canonical = canonical_json(pkg);
        if (!canonical)
            return canonical.err();
        const auto package_hash = crypto::sha256(as_bytes(*canonical));
        if (auto s = write_file(g.packages_dir / (station_id + ".json"), *signed_text); !s)
            return s.err();

        // The appliance key, from the seed and the station.
        const std::string seed_text = std::to_string(o.seed) + "/" + station_id;
        auto key = appliance_key_for(o.seed, station_id);
        if (!key)
            return key.err();
        keys[i] = key->public_key().raw();

        auto origin = ledger::checkpoint_origin(o.election_id, station_id, key->public_key());
        if (!origin)
            return origin.err();
        ledger::checkpoint cp;
        cp.origin = *origin;
        cp.tree_size =
            static_cast<std::uint64_t>(st.party_list.cast_station + st.party_list.cast_portable) *
                2 +
            12;
        cp.root = crypto::sha256(as_bytes("root/" + seed_text));
        const auto key_id = ledger::note_key_id(*origin, key->public_key());
        const std::uint8_t kid[4] = {
            static_cast<std::uint8_t>(key_id >> 24), static_cast<std::uint8_t>(key_id >> 16),
            static_cast<std::uint8_t>(key_id >> 8), static_cast<std::uint8_t>(key_id)};
        const auto voters = st.voters_on_list;
        const auto cast = st.party_list.cast_station + st.party_list.cast_portable;
        json::object doc{
            {"format", "ballotbox/protocol/1"},
            {"kind", "result"},
            {"training", o.training},
            {"election",
             json::object{{"id", o.election_id}, {"package_sha256", to_hex(package_hash)}}},
            {"station", json::object{{"id", station_id},
                                     {"number", static_cast<std::int64_t>(i + 1)},
                                     {"district_number", st.district},
                                     {"region", region}}},
            {"event_time", "2023-03-19T20:00:00+06:00"},
            {"ledger",
             json::object{{"origin", *origin},
                          {"tree_size", cp.tree_size},
                          {"root", to_base64(cp.root)},
                          {"key_id", to_hex(kid)},
                          {"box_root", to_hex(crypto::sha256(as_bytes("box/" + seed_text)))},
                          {"box_size", cast}}},
            {"appliance_key", to_hex(keys[i])},
            {"voters_on_list", voters},
            {"voters_added", 0},
            {"ballots",
             json::array{
                 ballot_json("party-list", st.party_list, party_ids, voters),
                 ballot_json(dballot, st.district_ballot,
                             plan.candidate_ids[static_cast<std::size_t>(st.district)], voters)}},
            {"checks",
             json::array{json::object{{"id", "issued_reconciles"}, {"holds", true}},
                         json::object{{"id", "votes_reconcile"}, {"holds", true}},
                         json::object{{"id", "took_part_within_list"}, {"holds", true}},
                         json::object{{"id", "box_matches_cast_events"}, {"holds", true}},
                         json::object{{"id", "cancelled_styles_known"}, {"holds", true}}}},
            {"portable_box", json::object{{"registered", true},
                                          {"imported", st.party_list.cast_portable > 0},
                                          {"not_used", st.party_list.cast_portable == 0}}}};
        auto bytes = canonical_json(doc);
        if (!bytes)
            return bytes.err();
        const auto dir = g.exports_dir / station_id;
        std::error_code mk;
        fs::create_directories(dir, mk);
        const auto sig = key->sign(as_bytes(*bytes));
        for (auto s :
             {write_file(dir / "protocol.json", *bytes),
              write_file(dir / "protocol.json.sig", as_chars(sig)),
              write_file(dir / "appliance.pub.pem", key->public_key().to_pem()),
              write_file(dir / "checkpoint.txt", ledger::sign_checkpoint(cp, *origin, *key))})
            if (!s)
                return s.err();
        return ok_status();
    };
    auto worker = [&] {
        for (std::size_t i = next++; i < n; i = next++)
            if (auto s = one(i); !s)
                failures[i] = s.err();
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::max(1u, o.threads); ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
    for (const auto& f : failures)
        if (f)
            return *f;
    std::vector<std::pair<std::string, crypto::ed25519_raw_public_key>> entries;
    for (std::size_t i = 0; i < n; ++i)
        entries.emplace_back(g.station_ids[i], keys[i]);
    g.registry = o.out_dir / "registry.txt";
    BALLOTBOX_TRY(write_file(g.registry, tally::format_registry(entries)));
    return g;
}

}  // namespace ballotbox::generator
