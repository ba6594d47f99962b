// Validation of the "package" document: see election/signed_package.h and
// docs/election-package.md.
#include <boost/json.hpp>
#include <set>

#include "common/canonical_json.h"
#include "election/json_fields.h"
#include "election/signed_package.h"

namespace ballotbox::election {
namespace {

constexpr const char* bad_package = "election.bad_package";

#define ASSIGN_OR_RETURN BALLOTBOX_ASSIGN_OR_RETURN

result<multilingual_name> read_name(const json_fields& parent, std::string_view key,
                                    bool required = true) {
    multilingual_name name;
    if (!required && !parent.has(key))
        return name;
    auto obj = parent.object(key);
    if (!obj)
        return obj.err();
    BALLOTBOX_TRY(obj->only_members({"kk", "ru", "en"}));
    ASSIGN_OR_RETURN(name.kk, obj->string("kk", 512));
    ASSIGN_OR_RETURN(name.ru, obj->string("ru", 512));
    if (obj->has("en")) {
        ASSIGN_OR_RETURN(name.en, obj->string("en", 512));
    }
    if (name.kk.empty() || name.ru.empty())
        return obj->fail("", "names must not be empty");
    return name;
}

result<ballot> read_ballot(const json_fields& b) {
    ballot out;
    BALLOTBOX_TRY(
        b.only_members({"id", "kind", "name", "district_number", "options", "against_all"}));
    ASSIGN_OR_RETURN(out.id, b.identifier("id"));
    std::string kind;
    ASSIGN_OR_RETURN(kind, b.string("kind", 64));
    if (kind == "party_list")
        out.kind = ballot_kind::party_list;
    else if (kind == "single_member_district")
        out.kind = ballot_kind::single_member_district;
    else if (kind == "single_race")
        out.kind = ballot_kind::single_race;
    else
        return b.fail("kind", "expected party_list, single_member_district or single_race");
    ASSIGN_OR_RETURN(out.name, read_name(b, "name"));
    if (out.kind == ballot_kind::single_member_district) {
        std::int64_t n;
        ASSIGN_OR_RETURN(n, b.integer("district_number", 1, 999));
        out.district_number = static_cast<int>(n);
    } else if (b.has("district_number")) {
        return b.fail("district_number", "only a single-member district ballot has one");
    }
    ASSIGN_OR_RETURN(out.against_all, b.boolean("against_all"));
    const boost::json::array* options;
    ASSIGN_OR_RETURN(options, b.array("options", 1, 200));
    std::set<std::string> ids;
    for (std::size_t i = 0; i < options->size(); ++i) {
        auto o = b.element("options", (*options)[i], i);
        BALLOTBOX_TRY(o.only_members({"id", "name", "nominated_by"}));
        ballot_option option;
        ASSIGN_OR_RETURN(option.id, o.identifier("id"));
        ASSIGN_OR_RETURN(option.name, read_name(o, "name"));
        ASSIGN_OR_RETURN(option.nominated_by, read_name(o, "nominated_by", false));
        if (!ids.insert(option.id).second)
            return o.fail("id", "the same id twice on one ballot");
        out.options.push_back(std::move(option));
    }
    return out;
}

status read_hours(const json_fields& root, election_package& p) {
    auto hours = root.object("hours");
    if (!hours)
        return hours.err();
    BALLOTBOX_TRY(hours->only_members({"opens", "closes", "turnout_reports"}));
    auto time_of = [&](std::string_view key) -> result<local_time_of_day> {
        auto text = hours->string(key, 16);
        if (!text)
            return text.err();
        auto t = parse_time_of_day(*text);
        if (!t)
            return hours->fail(key, t.err().message);
        return t;
    };
    ASSIGN_OR_RETURN(p.opens, time_of("opens"));
    ASSIGN_OR_RETURN(p.closes, time_of("closes"));
    const boost::json::array* reports;
    ASSIGN_OR_RETURN(reports, hours->array("turnout_reports", 0, 24));
    for (std::size_t i = 0; i < reports->size(); ++i) {
        const auto& v = (*reports)[i];
        auto t = v.is_string() ? parse_time_of_day(v.get_string())
                               : result<local_time_of_day>(make_error("", "expected \"HH:MM\""));
        if (!t)
            return hours->fail("turnout_reports[" + std::to_string(i) + "]", t.err().message);
        p.turnout_reports.push_back(*t);
    }
    auto at = [&](const local_time_of_day& t) -> result<time_point> {
        auto r = local_to_utc(p.time_zone, p.poll_date, t);
        if (!r)
            return make_error("election.impossible_times", r.err().message);
        return r;
    };
    ASSIGN_OR_RETURN(p.opens_at, at(p.opens));
    ASSIGN_OR_RETURN(p.closes_at, at(p.closes));
    if (p.closes_at <= p.opens_at)
        return make_error("election.impossible_times",
                          "package.hours: the poll closes before it opens");
    if (p.closes_at - p.opens_at > std::chrono::hours(24))
        return make_error("election.impossible_times",
                          "package.hours: the poll is open for more than a day");
    for (const auto& t : p.turnout_reports) {
        time_point when;
        ASSIGN_OR_RETURN(when, at(t));
        if (when <= p.opens_at || when > p.closes_at)
            return make_error("election.impossible_times",
                              "package.hours.turnout_reports: a report time is outside the poll "
                              "hours (after opening, at the close at the latest)");
        if (!p.turnout_reports_at.empty() && when <= p.turnout_reports_at.back())
            return make_error("election.impossible_times",
                              "package.hours.turnout_reports: report times must be in order");
        p.turnout_reports_at.push_back(when);
    }
    return ok_status();
}

status read_styles(const json_fields& root, election_package& p) {
    const boost::json::array* styles;
    ASSIGN_OR_RETURN(styles, root.array("ballot_styles", 1, 16));
    std::set<std::string> ids;
    for (std::size_t i = 0; i < styles->size(); ++i) {
        auto s = root.element("ballot_styles", (*styles)[i], i);
        BALLOTBOX_TRY(s.only_members({"id", "ballots"}));
        ballot_style style;
        ASSIGN_OR_RETURN(style.id, s.identifier("id"));
        if (!ids.insert(style.id).second)
            return s.fail("id", "the same style id twice");
        const boost::json::array* refs;
        ASSIGN_OR_RETURN(refs, s.array("ballots", 1, p.ballots.size()));
        for (const auto& ref : *refs) {
            std::size_t found = p.ballots.size();
            for (std::size_t b = 0; b < p.ballots.size(); ++b)
                if (ref.is_string() && ref.get_string() == p.ballots[b].id)
                    found = b;
            if (found == p.ballots.size())
                return s.fail("ballots", "names an unknown ballot");
            style.ballots.push_back(found);
        }
        std::sort(style.ballots.begin(), style.ballots.end());
        if (std::adjacent_find(style.ballots.begin(), style.ballots.end()) != style.ballots.end())
            return s.fail("ballots", "names a ballot twice");
        p.styles.push_back(std::move(style));
    }
    return ok_status();
}

status read_booths(const json_fields& root, election_package& p) {
    const boost::json::array* booths;
    ASSIGN_OR_RETURN(booths, root.array("booths", 1, 64));
    std::set<std::string> ids;
    std::set<crypto::ed25519_raw_public_key> keys;
    for (std::size_t i = 0; i < booths->size(); ++i) {
        auto b = root.element("booths", (*booths)[i], i);
        BALLOTBOX_TRY(b.only_members({"id", "public_key"}));
        std::string id, key_text;
        ASSIGN_OR_RETURN(id, b.identifier("id"));
        ASSIGN_OR_RETURN(key_text, b.string("public_key", 64));
        auto raw = from_base64(key_text);
        if (!raw)
            return b.fail("public_key", "not base64");
        auto key = crypto::ed25519_public_key::from_raw(*raw);
        if (!key)
            return b.fail("public_key", key.err().message);
        if (!ids.insert(id).second)
            return b.fail("id", "the same booth id twice");
        if (!keys.insert(key->raw()).second)
            return b.fail("public_key", "the same key twice");
        p.booths.push_back({id, *key});
    }
    return ok_status();
}

status read_opening_secret(const json_fields& root, election_package& p) {
    auto s = root.object("opening_secret");
    if (!s)
        return s.err();
    BALLOTBOX_TRY(s->only_members({"kdf", "n", "r", "p", "salt", "hash"}));
    std::string kdf, salt, hash;
    ASSIGN_OR_RETURN(kdf, s->string("kdf", 16));
    if (kdf != "scrypt")
        return s->fail("kdf", "only scrypt is supported");
    std::int64_t n, r, par;
    ASSIGN_OR_RETURN(n, s->integer("n", 1024, 1 << 20));
    ASSIGN_OR_RETURN(r, s->integer("r", 1, 32));
    ASSIGN_OR_RETURN(par, s->integer("p", 1, 16));
    p.opening_secret.params = {std::uint64_t(n), std::uint32_t(r), std::uint32_t(par)};
    auto check = crypto::check_scrypt_params(p.opening_secret.params);
    if (!check)
        return s->fail("n", check.err().message);
    ASSIGN_OR_RETURN(salt, s->string("salt", 128));
    ASSIGN_OR_RETURN(hash, s->string("hash", 128));
    auto salt_bytes = from_base64(salt);
    auto hash_bytes = from_base64(hash);
    if (!salt_bytes || salt_bytes->size() < 16 || salt_bytes->size() > 64)
        return s->fail("salt", "expected 16 to 64 bytes in base64");
    if (!hash_bytes || hash_bytes->size() != 32)
        return s->fail("hash", "expected 32 bytes in base64");
    p.opening_secret.salt = std::move(*salt_bytes);
    p.opening_secret.hash = std::move(*hash_bytes);
    return ok_status();
}

status read_seat_rules(const json_fields& root, election_package& p) {
    if (!root.has("seat_rules"))
        return ok_status();
    auto s = root.object("seat_rules");
    if (!s)
        return s.err();
    BALLOTBOX_TRY(s->only_members({"seats", "threshold_basis_points", "runner_up_min_seats"}));
    seat_rules rules;
    std::int64_t v;
    ASSIGN_OR_RETURN(v, s->integer("seats", 1, 1000));
    rules.seats = int(v);
    ASSIGN_OR_RETURN(v, s->integer("threshold_basis_points", 0, 10000));
    rules.threshold_basis_points = int(v);
    ASSIGN_OR_RETURN(v, s->integer("runner_up_min_seats", 0, 1000));
    rules.runner_up_min_seats = int(v);
    p.party_list_seats = rules;
    return ok_status();
}

}  // namespace

result<election_package> parse_package(const boost::json::value& doc) {
    json_fields root(doc, "package", bad_package);
    if (!root.is_object())
        return root.fail("", "expected an object");
    auto format = root.string("format", 64);
    if (!format)
        return format.err();
    if (*format != package_format)
        return make_error("election.unknown_format", "package.format: \"" + *format +
                                                         "\" is not a format this appliance "
                                                         "reads (it reads \"" +
                                                         package_format + "\")");
    BALLOTBOX_TRY(
        root.only_members({"format", "training", "election", "station", "time_zone", "hours",
                           "ballots", "ballot_styles", "booths", "opening_secret", "seat_rules"}));
    election_package p;
    ASSIGN_OR_RETURN(p.training, root.boolean("training"));

    ASSIGN_OR_RETURN(auto election, root.object("election"));
    BALLOTBOX_TRY(election.only_members({"id", "name", "date"}));
    ASSIGN_OR_RETURN(p.election_id, election.identifier("id"));
    ASSIGN_OR_RETURN(p.election_name, read_name(election, "name"));
    std::string date_text;
    ASSIGN_OR_RETURN(date_text, election.string("date", 16));
    auto date = parse_local_date(date_text);
    if (!date)
        return election.fail("date", date.err().message);
    p.poll_date = *date;

    ASSIGN_OR_RETURN(auto station, root.object("station"));
    BALLOTBOX_TRY(station.only_members(
        {"id", "number", "name", "region", "district_number", "district_name", "voters_on_list"}));
    ASSIGN_OR_RETURN(p.station_id, station.identifier("id"));
    std::int64_t v;
    ASSIGN_OR_RETURN(v, station.integer("number", 1, 99999));
    p.station_number = int(v);
    ASSIGN_OR_RETURN(p.station_name, read_name(station, "name"));
    ASSIGN_OR_RETURN(p.region, read_name(station, "region"));
    ASSIGN_OR_RETURN(v, station.integer("district_number", 1, 999));
    p.district_number = int(v);
    ASSIGN_OR_RETURN(p.district_name, read_name(station, "district_name"));
    ASSIGN_OR_RETURN(p.voters_on_list, station.integer("voters_on_list", 0, 100000));

    ASSIGN_OR_RETURN(p.time_zone, root.string("time_zone", 64));
    if (auto tz = check_time_zone(p.time_zone); !tz)
        return root.fail("time_zone", tz.err().message);
    BALLOTBOX_TRY(read_hours(root, p));

    const boost::json::array* ballots;
    ASSIGN_OR_RETURN(ballots, root.array("ballots", 1, 8));
    std::set<std::string> ballot_ids;
    for (std::size_t i = 0; i < ballots->size(); ++i) {
        ballot b;
        ASSIGN_OR_RETURN(b, read_ballot(root.element("ballots", (*ballots)[i], i)));
        if (!ballot_ids.insert(b.id).second)
            return root.fail("ballots", "the ballot id \"" + b.id + "\" appears twice");
        p.ballots.push_back(std::move(b));
    }
    BALLOTBOX_TRY(read_styles(root, p));
    BALLOTBOX_TRY(read_booths(root, p));
    BALLOTBOX_TRY(read_opening_secret(root, p));
    BALLOTBOX_TRY(read_seat_rules(root, p));

    auto canonical = canonical_json(doc);
    if (!canonical)
        return canonical.err();
    p.canonical_text = std::move(*canonical);
    p.package_hash = crypto::sha256(as_bytes(p.canonical_text));
    return p;
}

const booth_terminal* election_package::find_booth(
    const crypto::ed25519_raw_public_key& key) const {
    for (const auto& b : booths)
        if (b.public_key.raw() == key)
            return &b;
    return nullptr;
}

const ballot_style* election_package::find_style(std::string_view id) const {
    for (const auto& s : styles)
        if (s.id == id)
            return &s;
    return nullptr;
}

}  // namespace ballotbox::election
