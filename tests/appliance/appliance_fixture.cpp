#include "tests/appliance/appliance_fixture.h"

#include <fstream>
#include <sstream>

#include "appliance/card_io.h"
#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "common/canonical_json.h"
#include "election/package_builder.h"
#include "election/signed_package.h"
#include "ledger/canonical_json.h"
#include "ledger/ledger.h"
#include "tests/support/ledger_reading.h"

namespace ballotbox::appliance::testing {

bytes model_card::ef() const {
    for (const auto& f : card_.image().files)
        if (f.id == cardio::card_record_file_id)
            return f.content;
    FAIL("the card has no record EF");
    return {};
}

cardsim::card_image zero_card_image() {
    return cardsim::blank_card_image(cardsim::default_layout()).value();
}

cardsim::card_image image_with(byte_view record_bytes) {
    return cardsim::card_image_with_record(record_bytes).value();
}

cardsim::card_image blank_card_image() {
    return image_with(cardio::encode_card_record(cardio::blank_card{}).value());
}

cardio::card_record read_record(cardio::card_transport& card) {
    auto contents = read_card(card);
    REQUIRE(contents.ok());
    INFO((contents->record.ok() ? "" : contents->record.err().code));
    REQUIRE(contents->record.ok());
    return *contents->record;
}

test_package make_test_package(random_source& random, bool training,
                               const std::string& station_id) {
    std::ifstream in(std::string(BALLOTBOX_SOURCE_DIR) +
                     "/docs/examples/kz-2023-majilis-astana-01.template.json");
    std::stringstream s;
    s << in.rdbuf();
    auto tpl = parse_json_strict(s.str());
    REQUIRE(tpl.ok());
    if (!station_id.empty())
        tpl->as_object()["station"].as_object()["id"] = station_id;
    auto commission = crypto::ed25519_private_key::generate(random);
    std::vector<crypto::ed25519_private_key> booths{crypto::ed25519_private_key::generate(random),
                                                    crypto::ed25519_private_key::generate(random)};
    election::package_completion c;
    c.opening_secret = test_secret;
    c.scrypt = {1024, 8, 1};  // cheap for tests
    c.booths = {{"booth-1", booths[0].public_key()}, {"booth-2", booths[1].public_key()}};
    c.training = training;
    auto doc = election::complete_package(*tpl, c, random);
    REQUIRE(doc.ok());
    auto text = election::sign_package(*doc, commission);
    REQUIRE(text.ok());
    auto parsed = election::load_signed_package(*text, commission.public_key());
    REQUIRE(parsed.ok());
    return {commission, booths, *text, *parsed};
}

void vote_at_booth(cardio::card_transport& card, const crypto::ed25519_private_key& booth,
                   const std::vector<cardio::ballot_choice>& choices) {
    auto contents = read_card(card);
    REQUIRE(contents.ok());
    REQUIRE(contents->record.ok());
    const auto* issued = std::get_if<cardio::issued_card>(&*contents->record);
    REQUIRE(issued != nullptr);
    auto voted = cardio::sign_as_booth(booth, *issued, choices);
    REQUIRE(voted.ok());
    REQUIRE(write_card(card, contents->image, *voted).ok());
}

ledger_counts count_ledger(const std::filesystem::path& path) {
    auto book = test_support::open_ledger_read_only(path);
    ledger_counts c;
    for (std::uint64_t seq = 0; seq < book.size(); ++seq) {
        auto e = book.read_entry(seq);
        REQUIRE(e.ok());
        switch (e->type) {
            case ledger::event_type::issue:
                ++c.issue;
                break;
            case ledger::event_type::cast:
                ++c.cast;
                break;
            case ledger::event_type::cancel:
                ++c.cancel;
                break;
            case ledger::event_type::rejected_card: {
                auto body = ledger::parse_canonical_json(e->body);
                REQUIRE(body.ok());
                auto reason = body->at("reason").as_int64();
                (reason == 17 || reason == 18 ? c.notes : c.rejected) += 1;
                break;
            }
            case ledger::event_type::turnout:
                ++c.turnout;
                break;
            case ledger::event_type::restart:
                ++c.restart;
                break;
            case ledger::event_type::operator_command:
                ++c.commands;
                break;
            case ledger::event_type::opening:
                ++c.opening;
                break;
            case ledger::event_type::closing:
                ++c.closing;
                break;
            default:
                break;
        }
    }
    return c;
}

station::station(bool training)
    : package(make_test_package(random, training)),
      clock(package.parsed.opens_at - std::chrono::hours(10)) {
    start();
}

station::station(const std::string& station_id, std::uint64_t seed)
    : random(seed),
      package(make_test_package(random, false, station_id)),
      clock(package.parsed.opens_at - std::chrono::hours(10)) {
    start();
}

poll_day_config station::config() {
    poll_day_config c{.state_dir = dir.path() / "state",
                      .commission_key = package.commission.public_key()};
    c.clock = &clock;
    c.random = &random;
    c.clock_is_training = training_clock;
    return c;
}

void station::start() {
    day.reset();
    auto d = poll_day::start(config());
    INFO((d.ok() ? "" : d.err().code + ": " + d.err().message));
    REQUIRE(d.ok());
    day.emplace(std::move(*d));
}

void station::set_up_and_open() {
    auto s = day->setup(package.file_text);
    INFO((s.ok() ? "" : s.err().message));
    REQUIRE(s.ok());
    clock.set(opens_at() + std::chrono::minutes(1));
    auto o = day->open(test_secret);
    INFO((o.ok() ? "" : o.err().message));
    REQUIRE(o.ok());
}

}  // namespace ballotbox::appliance::testing
