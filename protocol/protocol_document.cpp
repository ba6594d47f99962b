#include "protocol/protocol_document.h"

#include <boost/json.hpp>
#include <set>

#include "common/bytes.h"
#include "common/canonical_json.h"

namespace ballotbox::protocol {
namespace json = boost::json;

std::string_view report_kind_name(report_kind kind) {
    switch (kind) {
        case report_kind::zero:
            return "zero";
        case report_kind::turnout:
            return "turnout";
        case report_kind::result:
            return "result";
    }
    return "result";
}

std::optional<report_kind> report_kind_from_name(std::string_view name) {
    if (name == "zero")
        return report_kind::zero;
    if (name == "turnout")
        return report_kind::turnout;
    if (name == "result")
        return report_kind::result;
    return std::nullopt;
}

const ballot_figures* find_ballot(const protocol_document& doc, std::string_view ballot_id) {
    for (const auto& b : doc.ballots)
        if (b.id == ballot_id)
            return &b;
    return nullptr;
}

namespace {

json::object ballot_json(const ballot_figures& b) {
    json::array options;
    for (const auto& o : b.options)
        options.push_back(json::object{{"id", o.id}, {"votes", o.votes}});
    return json::object{{"id", b.id},
                        {"issued_station", b.issued_station},
                        {"issued_portable", b.issued_portable},
                        {"cancelled", b.cancelled},
                        {"not_returned", b.not_returned},
                        {"cast_station", b.cast_station},
                        {"cast_portable", b.cast_portable},
                        {"took_part", b.took_part},
                        {"options", std::move(options)},
                        {"against_all", b.against_all},
                        {"blank", b.blank},
                        {"turnout_basis_points", b.turnout_basis_points}};
}

// A strict reader over one JSON object: every member must be read exactly once, and
// finish() refuses the members nobody asked for.
class object_reader {
  public:
    object_reader(const json::object& o, std::string where) : o_(o), where_(std::move(where)) {}

    result<const json::value*> member(std::string_view name) {
        auto it = o_.find(name);
        if (it == o_.end())
            return make_error("protocol.missing_member",
                              "The protocol has no \"" + path(name) + "\".");
        seen_.insert(std::string(name));
        return &it->value();
    }
    result<std::string> string(std::string_view name) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, member(name));
        if (!v->is_string())
            return bad(name, "a string");
        return std::string(v->as_string());
    }
    result<std::int64_t> count(std::string_view name, std::int64_t max = (std::int64_t{1} << 40)) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, member(name));
        std::int64_t n = 0;
        if (v->is_int64())
            n = v->as_int64();
        else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(max))
            n = static_cast<std::int64_t>(v->as_uint64());
        else
            return bad(name, "a whole number");
        if (n < 0 || n > max)
            return bad(name, "a whole number from 0 to " + std::to_string(max));
        return n;
    }
    result<bool> boolean(std::string_view name) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, member(name));
        if (!v->is_bool())
            return bad(name, "true or false");
        return v->as_bool();
    }
    result<const json::object*> object(std::string_view name) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, member(name));
        if (!v->is_object())
            return bad(name, "an object");
        return &v->as_object();
    }
    result<const json::array*> array(std::string_view name) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto v, member(name));
        if (!v->is_array())
            return bad(name, "an array");
        return &v->as_array();
    }
    template <std::size_t N>
    result<std::array<std::uint8_t, N>> hex_bytes(std::string_view name) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto s, string(name));
        auto b = from_hex(s);
        std::array<std::uint8_t, N> out{};
        if (!b || b->size() != N || s != to_hex(*b))
            return bad(name, std::to_string(N) + " bytes in lower-case hex");
        std::copy(b->begin(), b->end(), out.begin());
        return out;
    }
    status finish() const {
        for (const auto& m : o_)
            if (!seen_.contains(std::string(m.key())))
                return make_error(
                    "protocol.unknown_member",
                    "The protocol has a member it should not have: \"" + path(m.key()) + "\".");
        return ok_status();
    }
    error bad(std::string_view name, const std::string& expected) const {
        return make_error("protocol.bad_member",
                          "The protocol's \"" + path(name) + "\" must be " + expected + ".");
    }
    std::string path(std::string_view name) const {
        return where_.empty() ? std::string(name) : where_ + "." + std::string(name);
    }

  private:
    const json::object& o_;
    std::string where_;
    std::set<std::string> seen_;
};

result<ballot_figures> parse_ballot(const json::value& v, const std::string& where) {
    if (!v.is_object())
        return make_error("protocol.bad_member",
                          "The protocol's \"" + where + "\" must be an object.");
    object_reader r(v.as_object(), where);
    ballot_figures b;
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
        auto w = where + ".options[" + std::to_string(i) + "]";
        if (!(*options)[i].is_object())
            return make_error("protocol.bad_member",
                              "The protocol's \"" + w + "\" must be an object.");
        object_reader o((*options)[i].as_object(), w);
        option_votes ov;
        BALLOTBOX_ASSIGN_OR_RETURN(ov.id, o.string("id"));
        BALLOTBOX_ASSIGN_OR_RETURN(ov.votes, o.count("votes"));
        BALLOTBOX_TRY(o.finish());
        b.options.push_back(std::move(ov));
    }
    BALLOTBOX_ASSIGN_OR_RETURN(b.against_all, r.count("against_all"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.blank, r.count("blank"));
    BALLOTBOX_ASSIGN_OR_RETURN(b.turnout_basis_points, r.count("turnout_basis_points", 10000));
    BALLOTBOX_TRY(r.finish());
    return b;
}

}  // namespace

result<std::string> to_canonical_json(const protocol_document& d) {
    json::array ballots;
    for (const auto& b : d.ballots)
        ballots.push_back(ballot_json(b));
    json::array checks;
    for (const auto& c : d.checks)
        checks.push_back(json::object{{"id", c.id}, {"holds", c.holds}});
    json::object doc{
        {"format", protocol_format},
        {"kind", report_kind_name(d.kind)},
        {"training", d.training},
        {"election",
         json::object{{"id", d.election_id}, {"package_sha256", to_hex(d.package_sha256)}}},
        {"station", json::object{{"id", d.station_id},
                                 {"number", d.station_number},
                                 {"district_number", d.district_number},
                                 {"region", d.region}}},
        {"event_time", d.event_time},
        {"ledger",
         json::object{{"origin", d.ledger.origin},
                      {"tree_size", d.ledger.tree_size},
                      {"root", to_base64(d.ledger.root)},
                      {"key_id", to_hex(bytes{static_cast<std::uint8_t>(d.ledger.key_id >> 24),
                                              static_cast<std::uint8_t>(d.ledger.key_id >> 16),
                                              static_cast<std::uint8_t>(d.ledger.key_id >> 8),
                                              static_cast<std::uint8_t>(d.ledger.key_id)})},
                      {"box_root", to_hex(d.ledger.box_root)},
                      {"box_size", d.ledger.box_size}}},
        {"appliance_key", to_hex(d.appliance_key)},
        {"voters_on_list", d.voters_on_list},
        {"voters_added", d.voters_added},
        {"ballots", std::move(ballots)},
        {"checks", std::move(checks)},
        {"portable_box", json::object{{"registered", d.portable_box.registered},
                                      {"imported", d.portable_box.imported},
                                      {"not_used", d.portable_box.not_used}}}};
    auto text = canonical_json(doc);
    if (!text)
        return make_error("protocol.bad_value",
                          "The protocol cannot be written: " + text.err().message);
    return text;
}

result<protocol_document> parse_protocol_json(std::string_view text) {
    auto parsed = parse_json_strict(text, max_protocol_json_bytes);
    if (!parsed)
        return make_error("protocol.not_json",
                          "protocol.json is not valid JSON: " + parsed.err().message);
    if (!parsed->is_object())
        return make_error("protocol.bad_format", "protocol.json is not a JSON object.");
    auto canon = canonical_json(*parsed);
    if (!canon || *canon != text)
        return make_error("protocol.not_canonical",
                          "protocol.json is not in canonical form (RFC 8785): it was edited or "
                          "re-formatted after signing.");
    object_reader r(parsed->as_object(), "");
    protocol_document d;
    BALLOTBOX_ASSIGN_OR_RETURN(auto format, r.string("format"));
    if (format != protocol_format)
        return make_error("protocol.bad_format", "protocol.json has format \"" + format +
                                                     "\", expected \"" +
                                                     std::string(protocol_format) + "\".");
    BALLOTBOX_ASSIGN_OR_RETURN(auto kind, r.string("kind"));
    auto k = report_kind_from_name(kind);
    if (!k)
        return r.bad("kind", "\"zero\", \"turnout\" or \"result\"");
    d.kind = *k;
    BALLOTBOX_ASSIGN_OR_RETURN(d.training, r.boolean("training"));
    {
        BALLOTBOX_ASSIGN_OR_RETURN(auto e, r.object("election"));
        object_reader er(*e, "election");
        BALLOTBOX_ASSIGN_OR_RETURN(d.election_id, er.string("id"));
        BALLOTBOX_ASSIGN_OR_RETURN(d.package_sha256, er.hex_bytes<32>("package_sha256"));
        BALLOTBOX_TRY(er.finish());
    }
    {
        BALLOTBOX_ASSIGN_OR_RETURN(auto s, r.object("station"));
        object_reader sr(*s, "station");
        BALLOTBOX_ASSIGN_OR_RETURN(d.station_id, sr.string("id"));
        BALLOTBOX_ASSIGN_OR_RETURN(d.station_number, sr.count("number"));
        BALLOTBOX_ASSIGN_OR_RETURN(d.district_number, sr.count("district_number"));
        BALLOTBOX_ASSIGN_OR_RETURN(d.region, sr.string("region"));
        BALLOTBOX_TRY(sr.finish());
    }
    BALLOTBOX_ASSIGN_OR_RETURN(d.event_time, r.string("event_time"));
    {
        BALLOTBOX_ASSIGN_OR_RETURN(auto l, r.object("ledger"));
        object_reader lr(*l, "ledger");
        BALLOTBOX_ASSIGN_OR_RETURN(d.ledger.origin, lr.string("origin"));
        BALLOTBOX_ASSIGN_OR_RETURN(auto size, lr.count("tree_size", std::int64_t{1} << 48));
        d.ledger.tree_size = static_cast<std::uint64_t>(size);
        BALLOTBOX_ASSIGN_OR_RETURN(auto root, lr.string("root"));
        auto root_bytes = from_base64(root);
        if (!root_bytes || root_bytes->size() != 32)
            return lr.bad("root", "32 bytes in base64");
        std::copy(root_bytes->begin(), root_bytes->end(), d.ledger.root.begin());
        BALLOTBOX_ASSIGN_OR_RETURN(auto key_id, lr.hex_bytes<4>("key_id"));
        d.ledger.key_id = (std::uint32_t{key_id[0]} << 24) | (std::uint32_t{key_id[1]} << 16) |
                          (std::uint32_t{key_id[2]} << 8) | key_id[3];
        BALLOTBOX_ASSIGN_OR_RETURN(d.ledger.box_root, lr.hex_bytes<32>("box_root"));
        BALLOTBOX_ASSIGN_OR_RETURN(auto box_size, lr.count("box_size", std::int64_t{1} << 48));
        d.ledger.box_size = static_cast<std::uint64_t>(box_size);
        BALLOTBOX_TRY(lr.finish());
    }
    BALLOTBOX_ASSIGN_OR_RETURN(d.appliance_key, r.hex_bytes<32>("appliance_key"));
    BALLOTBOX_ASSIGN_OR_RETURN(d.voters_on_list, r.count("voters_on_list"));
    BALLOTBOX_ASSIGN_OR_RETURN(d.voters_added, r.count("voters_added"));
    BALLOTBOX_ASSIGN_OR_RETURN(auto ballots, r.array("ballots"));
    if (ballots->empty() || ballots->size() > 8)
        return r.bad("ballots", "1 to 8 ballots");
    for (std::size_t i = 0; i < ballots->size(); ++i) {
        BALLOTBOX_ASSIGN_OR_RETURN(
            auto b, parse_ballot((*ballots)[i], "ballots[" + std::to_string(i) + "]"));
        d.ballots.push_back(std::move(b));
    }
    BALLOTBOX_ASSIGN_OR_RETURN(auto checks, r.array("checks"));
    if (checks->size() > 32)
        return r.bad("checks", "at most 32 checks");
    for (std::size_t i = 0; i < checks->size(); ++i) {
        auto w = "checks[" + std::to_string(i) + "]";
        if (!(*checks)[i].is_object())
            return r.bad(w, "an object");
        object_reader cr((*checks)[i].as_object(), w);
        check_result c;
        BALLOTBOX_ASSIGN_OR_RETURN(c.id, cr.string("id"));
        BALLOTBOX_ASSIGN_OR_RETURN(c.holds, cr.boolean("holds"));
        BALLOTBOX_TRY(cr.finish());
        d.checks.push_back(std::move(c));
    }
    {
        BALLOTBOX_ASSIGN_OR_RETURN(auto p, r.object("portable_box"));
        object_reader pr(*p, "portable_box");
        BALLOTBOX_ASSIGN_OR_RETURN(d.portable_box.registered, pr.boolean("registered"));
        BALLOTBOX_ASSIGN_OR_RETURN(d.portable_box.imported, pr.boolean("imported"));
        BALLOTBOX_ASSIGN_OR_RETURN(d.portable_box.not_used, pr.boolean("not_used"));
        BALLOTBOX_TRY(pr.finish());
    }
    BALLOTBOX_TRY(r.finish());
    return d;
}

}  // namespace ballotbox::protocol
