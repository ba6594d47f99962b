#include "tests/e2e/e2e_support.h"

#include <winscard.h>

#include <boost/json/serialize.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "cardio/card_codec.h"
#include "cardio/card_session.h"
#include "common/canonical_json.h"
#include "election/package_builder.h"
#include "election/signed_package.h"
#include "ledger/canonical_json.h"
#include "ledger/ledger.h"
#include "tests/support/ledger_reading.h"
#include "tests/support/pcscd_fixture.h"
#include "tools/cardsim/booth.h"

namespace ballotbox::e2e {

using namespace std::chrono_literals;

test_package make_package(random_source& random, const std::string& time_zone, bool training,
                          const std::string& station_id, const std::string& date) {
    std::ifstream in(std::string(BALLOTBOX_SOURCE_DIR) +
                     "/docs/examples/kz-2023-majilis-astana-01.template.json");
    std::stringstream s;
    s << in.rdbuf();
    auto tpl = parse_json_strict(s.str());
    REQUIRE(tpl.ok());
    tpl->as_object()["time_zone"] = time_zone;
    tpl->as_object()["station"].as_object()["id"] = station_id;
    if (!date.empty())
        tpl->as_object()["election"].as_object()["date"] = date;
    auto commission = crypto::ed25519_private_key::generate(random);
    std::vector<crypto::ed25519_private_key> booths{crypto::ed25519_private_key::generate(random),
                                                    crypto::ed25519_private_key::generate(random)};
    election::package_completion c;
    c.opening_secret = secret;
    c.scrypt = {1024, 8, 1};  // cheap for tests
    c.booths = {{"booth-1", booths[0].public_key()}, {"booth-2", booths[1].public_key()}};
    c.training = training;
    auto doc = election::complete_package(*tpl, c, random);
    REQUIRE_MESSAGE(doc.ok(), doc.err().message);
    auto text = election::sign_package(*doc, commission);
    REQUIRE(text.ok());
    auto parsed = election::load_signed_package(*text, commission.public_key());
    REQUIRE_MESSAGE(parsed.ok(), parsed.err().message);
    return {commission, booths, *text, *parsed};
}

station::station(random_source& random, const std::string& time_zone, bool training,
                 const std::string& date)
    : package(make_package(random, time_zone, training, "astana-0001", date)) {
    std::ofstream out(dir / "commission.pub.pem", std::ios::binary);
    out << package.commission.public_key().to_pem();
}

void station::start(std::vector<std::string> extra_args, std::vector<std::string> extra_env) {
    extra_args.insert(extra_args.begin(),
                      "--table-reader=" + test_support::pcscd_fixture::reader_name(table_reader));
    test_support::daemon_config config{.state_dir = state_dir(),
                                       .socket = dir / "control.sock",
                                       .log = dir / "ballotboxd.log",
                                       .commission_key = dir / "commission.pub.pem",
                                       .extra_args = std::move(extra_args),
                                       .extra_env = std::move(extra_env)};
    auto d = test_support::daemon_fixture::start(std::move(config));
    REQUIRE_MESSAGE(d.ok(), d.err().message);
    daemon = std::move(*d);
}

boost::json::object station::request(const boost::json::object& request) {
    auto r = daemon->request(request);
    REQUIRE_MESSAGE(r.ok(), r.err().message, "\n", daemon->log_tail());
    return *r;
}

boost::json::object station::status() {
    auto s = daemon->poll_status();
    REQUIRE_MESSAGE(s.ok(), s.err().message, "\n", daemon->log_tail());
    return *s;
}

void station::set_up() {
    auto r = request({{"command", "setup"}, {"package", package.file_text}});
    REQUIRE_MESSAGE(test_support::is_ok_response(r), boost::json::serialize(r));
}

void station::open() {
    auto r = request({{"command", "open"}, {"secret", secret}});
    REQUIRE_MESSAGE(test_support::is_ok_response(r), boost::json::serialize(r));
}

cardsim::card_image zero_image() {
    return cardsim::blank_card_image(cardsim::default_layout()).value();
}

cardsim::card_image image_with(byte_view record_bytes) {
    return cardsim::card_image_with_record(record_bytes).value();
}

cardsim::card_image blank_image() {
    return image_with(cardio::encode_card_record(cardio::blank_card{}).value());
}

cardio::card_record record_of(const cardsim::card_image& image) {
    auto r = cardio::parse_card_image(image.files.at(0).content);
    REQUIRE_MESSAGE(r.ok(), r.err().code);
    return *r;
}

reader_watch::reader_watch() : context_(cardio::pcsc_context::establish().value()) {}

bool reader_watch::wait(int reader, bool present, std::chrono::milliseconds limit) {
    const std::string name = test_support::pcscd_fixture::reader_name(reader);
    SCARD_READERSTATE state{};
    state.szReader = name.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const DWORD timeout = static_cast<DWORD>(std::max<long long>(left.count(), 0));
        const LONG rv = SCardGetStatusChange(context_.handle(), timeout, &state, 1);
        if (rv == SCARD_S_SUCCESS) {
            const bool has = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
            if (has == present)
                return true;
            state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        } else if (rv != SCARD_E_TIMEOUT) {
            std::this_thread::sleep_for(20ms);
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
    }
}

inserted_card::inserted_card(reader_watch& watch, int reader, cardsim::card_image image,
                             cardsim::fault_plan faults)
    : watch_(watch), reader_(reader) {
    REQUIRE_MESSAGE(watch_.wait(reader_, false, 10s), "reader ", reader_, " never became empty");
    card_ = std::make_unique<cardsim::virtual_card_connection>(
        cardsim::file_system_card(std::move(image)), cardsim::connection_options{.reader = reader},
        faults);
    card_->insert();
}

inserted_card::~inserted_card() {
    remove();
}

cardsim::card_image inserted_card::remove() {
    if (!removed_) {
        card_->remove();
        last_ = card_->image();
        removed_ = true;
    }
    return last_;
}

void inserted_card::wait_present() {
    REQUIRE_MESSAGE(watch_.wait(reader_, true, 10s), "reader ", reader_, " never saw the card");
}

cardsim::card_end inserted_card::wait_ended() {
    auto end = card_->wait_ended(10s);
    REQUIRE(end.has_value());
    return *end;
}

std::vector<cardio::ballot_choice> draw_choices(crypto::seeded_random& random,
                                                const cardio::issued_card& card) {
    std::vector<cardio::ballot_choice> out;
    for (const auto& slot : card.issue.style) {
        auto pick = random.uniform(slot.option_count + 2u);
        out.push_back(pick < slot.option_count
                          ? cardio::ballot_choice::for_option(static_cast<std::uint8_t>(pick))
                      : pick == slot.option_count ? cardio::ballot_choice::against_all()
                                                  : cardio::ballot_choice::left_blank());
    }
    return out;
}

std::pair<cardsim::card_image, cardio::voted_card> vote_at_booth(
    reader_watch& watch, const station& st, cardsim::card_image issued,
    const crypto::ed25519_private_key& booth, const std::vector<cardio::ballot_choice>& choices) {
    inserted_card card(watch, booth_reader, std::move(issued));
    card.wait_present();
    std::optional<cardio::voted_card> voted;
    {
        auto session =
            cardio::card_session::open(test_support::pcscd_fixture::reader_name(booth_reader));
        REQUIRE_MESSAGE(session.ok(), session.err().code, ": ", session.err().message);
        cardsim::booth_request request{.election_id = st.package.parsed.package_hash,
                                       .station_id = st.package.parsed.station_id,
                                       .choices = choices};
        auto marked = cardsim::mark_ballot(**session, booth, request);
        REQUIRE_MESSAGE(marked.ok(), marked.err().code, ": ", marked.err().message);
        voted = *marked;
        REQUIRE((*session)->close().ok());
    }
    return {card.remove(), *voted};
}

std::string ballot_key(const cardio::voted_card& card) {
    std::string out;
    for (std::size_t i = 0; i < card.choices.size(); ++i) {
        const auto& c = card.choices[i];
        out += (i ? "," : "") + std::to_string(card.issued.issue.style.at(i).race) + ":";
        out += c.kind == cardio::choice_kind::option        ? std::to_string(c.option)
               : c.kind == cardio::choice_kind::against_all ? std::string("A")
                                                            : std::string("B");
    }
    return out;
}

ledger_counts count_ledger(const std::filesystem::path& path) {
    auto book = test_support::open_ledger_read_only(path);
    ledger_counts c;
    for (std::uint64_t seq = 0; seq < book.size(); ++seq) {
        auto e = book.read_entry(seq);
        REQUIRE(e.ok());
        using t = ledger::event_type;
        switch (e->type) {
            case t::issue:
                ++c.issue;
                break;
            case t::cast:
                ++c.cast;
                break;
            case t::cancel:
                ++c.cancel;
                break;
            case t::turnout:
                ++c.turnout;
                break;
            case t::restart:
                ++c.restart;
                break;
            case t::opening:
                ++c.opening;
                break;
            case t::closing:
                ++c.closing;
                break;
            case t::rejected_card: {
                auto body = ledger::parse_canonical_json(e->body);
                REQUIRE(body.ok());
                const auto reason = body->at("reason").as_int64();
                (reason == 17 || reason == 18 ? c.notes : c.rejected) += 1;
                ++c.rejected_by_reason[reason];
                break;
            }
            default:
                break;
        }
    }
    return c;
}

std::multiset<std::string> box_ballots(const std::filesystem::path& path) {
    auto book = test_support::open_ledger_read_only(path);
    auto box = book.ballots();
    REQUIRE(box.ok());
    std::multiset<std::string> out;
    for (const auto& b : *box) {
        auto record = cardio::parse_card_record(b.content.record);
        REQUIRE_MESSAGE(record.ok(), record.err().code);
        const auto* voted = std::get_if<cardio::voted_card>(&*record);
        REQUIRE(voted != nullptr);
        CHECK(bytes(voted->issued.issue.token.begin(), voted->issued.issue.token.end()) ==
              b.content.token);
        out.insert(ballot_key(*voted));
    }
    return out;
}

}  // namespace ballotbox::e2e
