#include "tally/station_protocol.h"

#include <boost/json.hpp>
#include <initializer_list>

#include "common/bytes.h"
#include "common/canonical_json.h"

namespace ballotbox::tally {

namespace json = boost::json;

namespace {

constexpr std::int64_t max_count = std::int64_t{1} << 40;

// Reads the members of one object, refusing unknown ones and naming paths in errors.
class fields {
  public:
    fields(const json::object& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

    status only(std::initializer_list<std::string_view> names) const {
        for (const auto& m : obj_) {
            bool known = false;
            for (auto n : names)
                known = known || m.key() == n;
            if (!known)
                return make_error(
                    "tally.protocol_unknown_member",
                    "The protocol has a member the format does not: \"" + path(m.key()) + "\".");
        }
        return ok_status();
    }
    result<const json::value*> get(std::string_view name) const {
        auto it = obj_.find(name);
        if (it == obj_.end())
            return make_error("tally.protocol_missing_member",
                              "The protocol has no \"" + path(name) + "\".");
        return &it->value();
    }
    result<std::string> string(std::string_view name) const {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, get(name));
        if (!v->is_string())
            return bad(name, "a string");
        return std::string(v->get_string());
    }
    result<std::int64_t> count(std::string_view name, std::int64_t max = max_count) const {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, get(name));
        std::int64_t n = 0;
        if (v->is_int64())
            n = v->get_int64();
        else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(max))
            n = static_cast<std::int64_t>(v->get_uint64());
        else
            return bad(name, "a whole number");
        if (n < 0 || n > max)
            return bad(name, "a whole number from 0 to " + std::to_string(max));
        return n;
    }
    result<bool> boolean(std::string_view name) const {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, get(name));
        if (!v->is_bool())
            return bad(name, "true or false");
        return v->get_bool();
    }
    result<fields> object(std::string_view name) const {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, get(name));
        if (!v->is_object())
            return bad(name, "an object");
        return fields(v->get_object(), path(name));
    }
    result<const json::array*> array(std::string_view name) const {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, get(name));
        if (!v->is_array())
            return bad(name, "an array");
        return &v->get_array();
    }
    template <std::size_t N>
    result<std::array<std::uint8_t, N>> hex(std::string_view name) const {
        BALLOTBOX_ASSIGN_OR_RETURN(auto s, string(name));
        auto b = from_hex(s);
        if (!b || b->size() != N)
            return bad(name, std::to_string(N) + " bytes in hex");
        for (char c : s)
            if (c >= 'A' && c <= 'F')
                return bad(name, std::to_string(N) + " bytes in lower-case hex");
        std::array<std::uint8_t, N> out{};
        std::copy(b->begin(), b->end(), out.begin());
        return out;
    }
    std::string path(std::string_view name) const {
        return where_.empty() ? std::string(name) : where_ + "." + std::string(name);
    }
    error bad(std::string_view name, const std::string& expected) const {
        return make_error("tally.protocol_bad_member",
                          "The protocol's \"" + path(name) + "\" must be " + expected + ".");
    }

  private:
    const json::object& obj_;
    std::string where_;
};

result<fields> element(const json::value& v, const std::string& where) {
    if (!v.is_object())
        return make_error("tally.protocol_bad_member",
                          "The protocol's \"" + where + "\" must be an object.");
    return fields(v.get_object(), where);
}

result<ballot_count> read_ballot(const fields& r, const std::string& where) {
    BALLOTBOX_TRY(r.only({"id", "issued_station", "issued_portable", "cancelled", "not_returned",
                          "cast_station", "cast_portable", "took_part", "options", "against_all",
                          "blank", "turnout_basis_points"}));
    ballot_count b;
    BALLOTBOX_ASSIGN_OR_RETURN(b.id, r.string("id"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.issued_station, r.count("issued_station"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.issued_portable, r.count("issued_portable"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.cancelled, r.count("cancelled"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.not_returned, r.count("not_returned"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.cast_station, r.count("cast_station"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.cast_portable, r.count("cast_portable"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.took_part, r.count("took_part"));
    BALLOTBOX_ASSIGN_OR_RETURN(auto options, r.array("options"));
    if (options->size() > 255)
        return r.bad("options", "at most 255 options");
    for (std::size_t i = 0; i < options->size(); ++i) {
        const auto w = where + ".options[" + std::to_string(i) + "]";
        BALLOTBOX_ASSIGN_OR_RETURN(auto o, element((*options)[i], w));
        BALLOTBOX_TRY(o.only({"id", "votes"}));
        option_count oc;
        BALLOTBOX_ASSIGN_OR_RETURN(oc.id, o.string("id"));
        BALLOTBOX_ASSIGN_OR_RETURN(oc.votes, o.count("votes"));
        b.options.push_back(std::move(oc));
    }
    BALLOTBOX_ASSIGN_OR_RETURN(b.against_all, r.count("against_all"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.blank, r.count("blank"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.turnout_basis_points, r.count("turnout_basis_points", 10000));
    return b;
}

}  // namespace

result<station_protocol> parse_station_protocol(std::string_view text) {
    auto parsed = parse_json_strict(text, max_protocol_bytes);
    if (!parsed)
        return make_error("tally.protocol_not_json",
                          "protocol.json is not valid JSON: " + parsed.err().message);
    auto canonical = canonical_json(*parsed);
    if (!canonical || *canonical != text)
        return make_error(
            "tally.protocol_not_canonical",
            "protocol.json is not in its canonical (RFC 8785) form: the signed bytes were changed "
            "or it was not written by an appliance.");
    if (!parsed->is_object())
        return make_error("tally.protocol_bad_format", "protocol.json is not a JSON object.");
    fields top(parsed->get_object(), "");
    BALLOTBOX_TRY(top.only({"format", "kind", "training", "election", "station", "event_time",
                            "ledger", "appliance_key", "voters_on_list", "voters_added", "ballots",
                            "checks", "portable_box"}));
    BALLOTBOX_ASSIGN_OR_RETURN(auto format, top.string("format"));
    if (format != "ballotbox/protocol/1")
        return make_error("tally.protocol_bad_format", "protocol.json is of format \"" + format +
                                                           "\", not \"ballotbox/protocol/1\".");
    station_protocol p;
    BALLOTBOX_ASSIGN_OR_RETURN(p.kind, top.string("kind"));
    if (p.kind != "zero" && p.kind != "turnout" && p.kind != "result")
        return top.bad("kind", "\"zero\", \"turnout\" or \"result\"");
    BALLOTBOX_ASSIGN_OR_RETURN(p.training, top.boolean("training"));
    BALLOTBOX_ASSIGN_OR_RETURN(auto election, top.object("election"));
    BALLOTBOX_TRY(election.only({"id", "package_sha256"}));
    BALLOTBOX_ASSIGN_OR_RETURN(p.election_id, election.string("id"));
    BALLOTBOX_ASSIGN_OR_RETURN(p.package_sha256, election.hex<32>("package_sha256"));
    BALLOTBOX_ASSIGN_OR_RETURN(auto station, top.object("station"));
    BALLOTBOX_TRY(station.only({"id", "number", "district_number", "region"}));
    BALLOTBOX_ASSIGN_OR_RETURN(p.station_id, station.string("id"));
    BALLOTBOX_ASSIGN_OR_RETURN(p.station_number, station.count("number"));
    BALLOTBOX_ASSIGN_OR_RETURN(p.district_number, station.count("district_number"));
    BALLOTBOX_ASSIGN_OR_RETURN(p.region, station.string("region"));
    BALLOTBOX_ASSIGN_OR_RETURN(p.event_time, top.string("event_time"));
    BALLOTBOX_ASSIGN_OR_RETURN(auto ledger, top.object("ledger"));
    BALLOTBOX_TRY(ledger.only({"origin", "tree_size", "root", "key_id", "box_root", "box_size"}));
    BALLOTBOX_ASSIGN_OR_RETURN(p.ledger_origin, ledger.string("origin"));
    BALLOTBOX_ASSIGN_OR_RETURN(auto tree_size, ledger.count("tree_size"));
    p.ledger_tree_size = static_cast<std::uint64_t>(tree_size);
    BALLOTBOX_ASSIGN_OR_RETURN(auto root_text, ledger.string("root"));
    auto root = from_base64(root_text);
    if (!root || root->size() != 32)
        return ledger.bad("root", "32 bytes in base64");
    std::copy(root->begin(), root->end(), p.ledger_root.begin());
    BALLOTBOX_TRY(ledger.hex<4>("key_id"));
    BALLOTBOX_TRY(ledger.hex<32>("box_root"));
    BALLOTBOX_TRY(ledger.count("box_size"));
    BALLOTBOX_ASSIGN_OR_RETURN(p.appliance_key, top.hex<32>("appliance_key"));
    BALLOTBOX_ASSIGN_OR_RETURN(p.voters_on_list, top.count("voters_on_list"));
    BALLOTBOX_ASSIGN_OR_RETURN(p.voters_added, top.count("voters_added"));
    BALLOTBOX_ASSIGN_OR_RETURN(auto ballots, top.array("ballots"));
    if (ballots->size() > 16)
        return top.bad("ballots", "at most 16 ballots");
    for (std::size_t i = 0; i < ballots->size(); ++i) {
        const auto w = "ballots[" + std::to_string(i) + "]";
        BALLOTBOX_ASSIGN_OR_RETURN(auto b, element((*ballots)[i], w));
        BALLOTBOX_ASSIGN_OR_RETURN(auto ballot, read_ballot(b, w));
        p.ballots.push_back(std::move(ballot));
    }
    BALLOTBOX_ASSIGN_OR_RETURN(auto checks, top.array("checks"));
    if (checks->size() > 64)
        return top.bad("checks", "at most 64 checks");
    for (std::size_t i = 0; i < checks->size(); ++i) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto c,
                                   element((*checks)[i], "checks[" + std::to_string(i) + "]"));
        BALLOTBOX_TRY(c.only({"id", "holds"}));
        BALLOTBOX_ASSIGN_OR_RETURN(auto id, c.string("id"));
        BALLOTBOX_ASSIGN_OR_RETURN(auto holds, c.boolean("holds"));
        p.checks.emplace_back(std::move(id), holds);
    }
    BALLOTBOX_ASSIGN_OR_RETURN(auto box, top.object("portable_box"));
    BALLOTBOX_TRY(box.only({"registered", "imported", "not_used"}));
    BALLOTBOX_TRY(box.boolean("registered"));
    BALLOTBOX_TRY(box.boolean("imported"));
    BALLOTBOX_TRY(box.boolean("not_used"));
    return p;
}

}  // namespace ballotbox::tally
