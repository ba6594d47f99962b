#include "audit/document_diff.h"

#include "common/bytes.h"

namespace ballotbox::audit {
namespace {

struct differ {
    std::optional<document_difference> first;
    template <class T>
    void field(const std::string& path, const T& a, const T& b) {
        if (first || a == b)
            return;
        first = document_difference{path, text(a), text(b)};
    }
    static std::string text(const std::string& s) { return s; }
    static std::string text(bool b) { return b ? "true" : "false"; }
    static std::string text(std::int64_t v) { return std::to_string(v); }
    static std::string text(std::uint64_t v) { return std::to_string(v); }
    static std::string text(std::uint32_t v) { return std::to_string(v); }
    template <std::size_t n>
    static std::string text(const std::array<std::uint8_t, n>& v) {
        return to_hex(v);
    }
    static std::string text(protocol::report_kind k) {
        return std::string(protocol::report_kind_name(k));
    }
};

}  // namespace

std::optional<document_difference> first_difference(const protocol::protocol_document& e,
                                                    const protocol::protocol_document& f) {
    differ d;
    d.field("kind", e.kind, f.kind);
    d.field("training", e.training, f.training);
    d.field("election.id", e.election_id, f.election_id);
    d.field("election.package_sha256", e.package_sha256, f.package_sha256);
    d.field("station.id", e.station_id, f.station_id);
    d.field("station.number", e.station_number, f.station_number);
    d.field("station.district_number", e.district_number, f.district_number);
    d.field("station.region", e.region, f.region);
    d.field("event_time", e.event_time, f.event_time);
    d.field("ledger.origin", e.ledger.origin, f.ledger.origin);
    d.field("ledger.tree_size", e.ledger.tree_size, f.ledger.tree_size);
    d.field("ledger.root", e.ledger.root, f.ledger.root);
    d.field("ledger.key_id", e.ledger.key_id, f.ledger.key_id);
    d.field("ledger.box_root", e.ledger.box_root, f.ledger.box_root);
    d.field("ledger.box_size", e.ledger.box_size, f.ledger.box_size);
    d.field("appliance_key", e.appliance_key, f.appliance_key);
    d.field("voters_on_list", e.voters_on_list, f.voters_on_list);
    d.field("voters_added", e.voters_added, f.voters_added);
    d.field("ballots.count", static_cast<std::uint64_t>(e.ballots.size()),
            static_cast<std::uint64_t>(f.ballots.size()));
    for (std::size_t i = 0; i < e.ballots.size() && i < f.ballots.size() && !d.first; ++i) {
        const auto& a = e.ballots[i];
        const auto& b = f.ballots[i];
        auto p = "ballots[" + a.id + "].";
        d.field(p + "id", a.id, b.id);
        d.field(p + "issued_station", a.issued_station, b.issued_station);
        d.field(p + "issued_portable", a.issued_portable, b.issued_portable);
        d.field(p + "cancelled", a.cancelled, b.cancelled);
        d.field(p + "not_returned", a.not_returned, b.not_returned);
        d.field(p + "cast_station", a.cast_station, b.cast_station);
        d.field(p + "cast_portable", a.cast_portable, b.cast_portable);
        d.field(p + "took_part", a.took_part, b.took_part);
        d.field(p + "options.count", static_cast<std::uint64_t>(a.options.size()),
                static_cast<std::uint64_t>(b.options.size()));
        for (std::size_t o = 0; o < a.options.size() && o < b.options.size(); ++o) {
            d.field(p + "options[" + std::to_string(o) + "].id", a.options[o].id, b.options[o].id);
            d.field(p + "options[" + a.options[o].id + "].votes", a.options[o].votes,
                    b.options[o].votes);
        }
        d.field(p + "against_all", a.against_all, b.against_all);
        d.field(p + "blank", a.blank, b.blank);
        d.field(p + "turnout_basis_points", a.turnout_basis_points, b.turnout_basis_points);
    }
    d.field("checks.count", static_cast<std::uint64_t>(e.checks.size()),
            static_cast<std::uint64_t>(f.checks.size()));
    for (std::size_t i = 0; i < e.checks.size() && i < f.checks.size(); ++i) {
        d.field("checks[" + std::to_string(i) + "].id", e.checks[i].id, f.checks[i].id);
        d.field("checks[" + e.checks[i].id + "].holds", e.checks[i].holds, f.checks[i].holds);
    }
    d.field("portable_box.registered", e.portable_box.registered, f.portable_box.registered);
    d.field("portable_box.imported", e.portable_box.imported, f.portable_box.imported);
    d.field("portable_box.not_used", e.portable_box.not_used, f.portable_box.not_used);
    return d.first;
}

}  // namespace ballotbox::audit
