#include "tests/protocol/protocol_day.h"

#include <doctest/doctest.h>

#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "election/signed_package.h"
#include "ledger/checkpoint.h"

namespace ballotbox::test_support {
namespace {

template <class R>
void must(const R& r) {
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.err().code + ": " + r.err().message));
}

std::filesystem::path examples() {
    return std::filesystem::path(BALLOTBOX_SOURCE_DIR) / "docs" / "examples";
}

crypto::ed25519_private_key seed_key(std::uint8_t fill) {
    return std::move(crypto::ed25519_private_key::from_seed(bytes(32, fill)).value());
}

std::int64_t seconds(time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

election::election_package training_package() {
    auto commission = crypto::ed25519_public_key::load(examples() / "training-commission.pub.pem");
    must(commission);
    auto pk = election::load_signed_package_file(
        examples() / "kz-2023-majilis-astana-01.package.json", *commission);
    must(pk);
    return std::move(pk).value();
}

protocol_day::protocol_day(const std::filesystem::path& ledger_path, std::uint64_t seed)
    : package_(training_package()),
      key_(seed_key(0x42)),
      booth_(std::move(
          crypto::ed25519_private_key::load(examples() / "training-booth-1.pem").value())),
      clock_(package_.opens_at - std::chrono::minutes(30)),
      random_(seed),
      mac_key_(32, 0x5a) {
    ledger::ledger_options lo;
    lo.clock = &clock_;
    lo.random = &random_;
    std::vector<time_point> bounds{package_.opens_at};
    for (auto t : package_.turnout_reports_at)
        if (t > bounds.back())
            bounds.push_back(t);
    auto window = ledger::cast_window::from_boundaries(bounds);
    must(window);
    lo.window = *window;
    ledger::genesis_info g;
    g.election_package_sha256 = package_.package_hash;
    g.appliance_key = key_.public_key().raw();
    auto origin =
        ledger::checkpoint_origin(package_.election_id, package_.station_id, key_.public_key());
    must(origin);
    g.origin = *origin;
    g.extra["election_id"] = package_.election_id;
    g.extra["station_id"] = package_.station_id;
    g.extra["training"] = package_.training;
    g.extra["mac_key_commitment"] = to_hex(crypto::sha256(mac_key_));
    auto created = ledger::ledger::create(ledger_path, lo, g);
    must(created);
    book_ = std::make_unique<ledger::ledger>(std::move(created).value());
}

void protocol_day::open() {
    clock_.set(package_.opens_at);
    must(book_->append(
        ledger::event_type::opening,
        {{"at", seconds(clock_.now())}, {"local_time", "07:00"}, {"training", true}}));
    must(book_->append_checkpoint(ledger::checkpoint_kind::opening, key_));
    clock_.advance(std::chrono::minutes(5));
}

cardio::issued_card protocol_day::issue(const std::string& style_id, bool portable) {
    const auto* style = package_.find_style(style_id);
    REQUIRE(style != nullptr);
    cardio::issue_data issue;
    issue.election_id = package_.package_hash;
    issue.station_id = package_.station_id;
    for (auto b : style->ballots)
        issue.style.push_back({static_cast<std::uint8_t>(b),
                               static_cast<std::uint8_t>(package_.ballots[b].options.size())});
    random_.fill(issue.token);
    auto card = cardio::make_issued_card(mac_key_, issue);
    must(card);
    boost::json::object body{{"style", style_id}};
    if (portable)
        body["box"] = "portable";
    must(book_->append(ledger::event_type::issue, body));
    clock_.advance(std::chrono::seconds(40));
    return *card;
}

void protocol_day::cast(const cardio::issued_card& card,
                        const std::vector<cardio::ballot_choice>& choices,
                        ledger::ballot_source source) {
    auto voted = cardio::sign_as_booth(booth_, card, choices);
    must(voted);
    auto record = cardio::encode_card_record(*voted);
    must(record);
    ledger::ballot b;
    b.record = *record;
    b.booth_signature = bytes(voted->signature.begin(), voted->signature.end());
    b.token = bytes(card.issue.token.begin(), card.issue.token.end());
    b.source = source;
    must(book_->append_cast(b));
    clock_.advance(std::chrono::seconds(40));
}

void protocol_day::cancel(const cardio::issued_card& card, bool with_style) {
    boost::json::object body{{"reason", "confirmed"}, {"token", to_hex(card.issue.token)}};
    if (with_style) {
        for (const auto& st : package_.styles) {
            std::vector<std::size_t> races;
            for (auto s : card.issue.style)
                races.push_back(s.race);
            if (st.ballots == races)
                body["style"] = st.id;
        }
    }
    must(book_->append(ledger::event_type::operator_command, {{"command", "cancel"}}));
    must(book_->append(ledger::event_type::cancel, body));
    clock_.advance(std::chrono::seconds(40));
}

void protocol_day::turnout(int hour) {
    auto at = package_.opens_at + std::chrono::hours(hour - 7);
    clock_.set(at);
    must(book_->append(ledger::event_type::turnout, {{"at", seconds(at)}, {"report", hour}}));
    must(book_->append_checkpoint(ledger::checkpoint_kind::turnout, key_));
    clock_.advance(std::chrono::seconds(10));
}

void protocol_day::close(std::int64_t voters_added) {
    clock_.set(package_.closes_at);
    must(book_->append_closing({{"at", seconds(package_.closes_at)},
                                {"voters_added", voters_added},
                                {"mac_key", to_hex(mac_key_)},
                                {"training", true}}));
    must(book_->append_checkpoint(ledger::checkpoint_kind::final, key_));
}

}  // namespace ballotbox::test_support
