#include "appliance/daemon/status_json.h"

#include <boost/json/array.hpp>
#include <chrono>
#include <cstdio>

#include "election/local_time.h"

namespace ballotbox::daemon {

namespace {

boost::json::object text(const appliance::localized_text& t) {
    return {{"en", t.en}, {"ru", t.ru}, {"kk", t.kk}};
}

boost::json::array strings(const std::vector<std::string>& items) {
    boost::json::array out;
    for (const auto& s : items)
        out.emplace_back(s);
    return out;
}

void put_time(boost::json::object& o, const char* name, const std::optional<time_point>& t,
              const std::string& zone) {
    if (!t)
        return;
    o[name] = iso_utc(*t);
    if (!zone.empty())
        o[std::string(name) + "_local"] = election::format_local(zone, *t);
}

}  // namespace

std::string iso_utc(time_point t) {
    using namespace std::chrono;
    const auto secs = floor<seconds>(t);
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss hms{secs - day};
    char out[32];
    std::snprintf(out, sizeof(out), "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                  long(hms.minutes().count()), long(hms.seconds().count()));
    return out;
}

boost::json::object to_json(const appliance::poll_status& s) {
    boost::json::object o;
    o["state"] = std::string(appliance::poll_state_name(s.state));
    o["training"] = s.training;
    o["election_id"] = s.election_id;
    o["station_id"] = s.station_id;
    o["time_zone"] = s.time_zone;
    o["counts"] = boost::json::object{{"issued", s.counts.issued},
                                      {"cast", s.counts.cast},
                                      {"cancelled", s.counts.cancelled},
                                      {"rejected", s.counts.rejected},
                                      {"outstanding", s.counts.outstanding()}};
    o["next_style"] = s.next_style;
    o["styles"] = strings(s.styles);
    put_time(o, "opens_at", s.opens_at, s.time_zone);
    put_time(o, "closes_at", s.closes_at, s.time_zone);
    put_time(o, "next_turnout_at", s.next_turnout_at, s.time_zone);
    if (s.time_to_close)
        o["time_to_close_seconds"] = s.time_to_close->count();
    put_time(o, "next_open_try_at", s.next_open_try_at, s.time_zone);
    o["wrong_open_tries"] = s.wrong_open_tries;
    o["ledger_entries"] = s.ledger_entries;
    o["role"] = s.portable_role ? "portable" : "station";
    boost::json::array boxes;
    for (const auto& b : s.portable_boxes)
        boxes.push_back(boost::json::object{
            {"key", b.key_id}, {"imported", b.imported}, {"not_used", b.not_used}});
    o["portable_boxes"] = std::move(boxes);
    put_time(o, "now", std::optional<time_point>(s.now), s.time_zone);
    if (s.last_card)
        o["last_card"] = to_json(*s.last_card);
    return o;
}

boost::json::object to_json(const appliance::card_report& r) {
    boost::json::object o;
    o["outcome"] = std::string(appliance::card_outcome_name(r.outcome));
    if (r.reason) {
        o["reason"] = std::string(appliance::refusal_reason_name(*r.reason));
        o["reason_code"] = appliance::reason_code(*r.reason);
    }
    if (r.outcome == appliance::card_outcome::accepted)
        o["running_number"] = r.running_number;
    if (!r.style_id.empty())
        o["style"] = r.style_id;
    o["headline"] = text(r.headline);
    o["what_to_do"] = text(r.what_to_do);
    if (r.ledger_seq)
        o["ledger_seq"] = *r.ledger_seq;
    o["card_cleared"] = r.card_cleared;
    o["training"] = r.training;
    if (r.detail)
        o["detail"] = boost::json::object{{"code", r.detail->code}, {"message", r.detail->message}};
    return o;
}

boost::json::object to_json(const appliance::setup_summary& s) {
    boost::json::object o;
    o["election_id"] = s.election_id;
    o["station_id"] = s.station_id;
    o["training"] = s.training;
    o["package_sha256"] = s.package_sha256;
    o["appliance_key"] = s.appliance_key_pem;
    o["origin"] = s.origin;
    o["opens_at"] = iso_utc(s.opens_at);
    o["closes_at"] = iso_utc(s.closes_at);
    o["styles"] = strings(s.styles);
    o["booths"] = s.booths;
    return o;
}

}  // namespace ballotbox::daemon
