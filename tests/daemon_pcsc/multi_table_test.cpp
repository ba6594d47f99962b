// ballotboxd with two table readers (two members at the registration table), through the
// real pcscd with a private reader.conf.d of two vpcd devices (pcscd_fixture::
// start_with_readers(4)): table readers "Virtual PCD 00 00" and "Virtual PCD lane 1 00 00",
// the booth on "Virtual PCD 00 01". A card issued at one table is cast at the other; cards in
// both readers at once are each handled and reported with their reader; cancel with and
// without "reader". Run under `flock /tmp/ballotbox-pcscd.lock` on a shared machine.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>
#include <set>

#include "cardio/card_codec.h"
#include "cardio/card_session.h"
#include "common/canonical_json.h"
#include "crypto/ed25519.h"
#include "tests/daemon/daemon_process.h"
#include "tests/daemon_pcsc/daemon_cards.h"
#include "tests/support/pcscd_fixture.h"
#include "tests/support/temp_dir.h"
#include "tools/cardsim/booth.h"
#include "tools/cardsim/virtual_card_connection.h"

namespace {

using namespace ballotbox;
using namespace ballotbox::test_daemon;
using cardsim::virtual_card_connection;
using test_support::pcscd_fixture;

const std::string table_a = pcscd_fixture::reader_name(0);
const std::string booth = pcscd_fixture::reader_name(1);
const std::string table_b = pcscd_fixture::reader_name(2);

std::unique_ptr<virtual_card_connection> insert(int reader, cardsim::card_image image) {
    auto card = std::make_unique<virtual_card_connection>(
        cardsim::file_system_card(std::move(image)),
        cardsim::connection_options{.reader = 0, .port = pcscd_fixture::reader_port(reader)});
    card->insert();
    return card;
}

// Until the daemon's status says whether this table reader holds a card.
void wait_card_present(line_client& c, const std::string& reader, bool present) {
    for (int i = 0; i < 1000; ++i) {
        const auto st = c.request({{"command", "status"}}).at("status").as_object();
        for (const auto& r : st.at("table_readers").as_array())
            if (r.at("name") == reader.c_str() && r.at("card_present") == present)
                return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL(reader << ": card_present never became " << present);
}

// The booth: the issued card in the booth reader, marked with the training booth key.
cardsim::card_image vote_at_booth(cardsim::card_image issued) {
    auto record = cardio::parse_card_image(issued.files.at(0).content);
    REQUIRE(record.ok());
    const auto* card = std::get_if<cardio::issued_card>(&*record);
    REQUIRE(card != nullptr);
    auto key = crypto::ed25519_private_key::load(source_file("docs/examples/training-booth-1.pem"));
    REQUIRE(key.ok());
    std::vector<cardio::ballot_choice> choices;
    for (std::size_t i = 0; i < card->issue.style.size(); ++i)
        choices.push_back(cardio::ballot_choice::for_option(0));
    cardsim::booth_request request{.election_id = card->issue.election_id,
                                   .station_id = card->issue.station_id,
                                   .choices = choices};
    auto in_booth = insert(1, std::move(issued));
    for (int i = 0; i < 400; ++i) {  // until pcscd has seen the card
        auto session = cardio::card_session::open(booth);
        if (session.ok()) {
            auto voted = cardsim::mark_ballot(**session, *key, request);
            REQUIRE_MESSAGE(voted.ok(), voted.err().message);
            REQUIRE((*session)->close().ok());
            in_booth->remove();
            return in_booth->image();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    FAIL("pcscd never saw the card in the booth reader");
    return {};
}

struct two_tables {
    std::unique_ptr<pcscd_fixture> pcscd;
    test_support::temp_dir dir{"ballotbox-multi-table"};
    std::unique_ptr<daemon_process> daemon;

    two_tables() {
        auto started = pcscd_fixture::start_with_readers(4);
        REQUIRE_MESSAGE(started.ok(), started.err().message);
        pcscd = std::move(*started);
        daemon = std::make_unique<daemon_process>(
            dir.path(), std::vector<std::string>{
                            "--table-reader=" + table_a, "--table-reader=" + table_b,
                            "--training-clock-start=2023-03-19T08:00", "--training-clock-speed=1"});
        auto c = daemon->client();
        auto setup =
            c.request({{"command", "setup"}, {"package", read_text(training_package_path())}});
        REQUIRE_MESSAGE(is_ok(setup), boost::json::serialize(setup));
        REQUIRE(is_ok(c.request({{"command", "open"}, {"secret", training_secret}})));
    }
};

boost::json::object counts_of(line_client& c) {
    return c.request({{"command", "status"}}).at("status").at("counts").as_object();
}

}  // namespace

TEST_CASE("two table readers: issued at one, cast at the other, two cards at once") {
    two_tables t;
    auto c = t.daemon->client();
    // Both readers are the table's; the first keeps "table_reader" for older clients.
    for (int i = 0; i < 1000; ++i) {
        if (c.request({{"command", "status"}}).at("status").at("table_readers").as_array().size() ==
            2)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto st = c.request({{"command", "status"}}).at("status").as_object();
    const auto& readers = st.at("table_readers").as_array();
    REQUIRE(readers.size() == 2);
    std::set<std::string> names;
    for (const auto& r : readers)
        names.insert(std::string(r.at("name").as_string()));
    CHECK(names == std::set<std::string>{table_a, table_b});
    CHECK(st.at("table_reader") == readers[0].at("name"));
    CHECK(st.at("card_present") == false);

    auto watcher = t.daemon->client();
    REQUIRE(is_ok(watcher.request({{"command", "watch"}})));

    auto blank = insert(0, prepared_blank_card());
    auto issued = next_card_event(watcher);
    CHECK_MESSAGE(issued.at("outcome") == "issued", boost::json::serialize(issued));
    CHECK(issued.at("reader") == table_a.c_str());
    blank->remove();

    auto voted = insert(2, vote_at_booth(blank->image()));
    auto cast = next_card_event(watcher);
    CHECK_MESSAGE(cast.at("outcome") == "accepted", boost::json::serialize(cast));
    CHECK(cast.at("reader") == table_b.c_str());
    CHECK(cast.at("running_number") == 1);
    voted->remove();
    const auto last = c.request({{"command", "status"}}).at("status").at("last_card");
    CHECK(last.at("reader") == table_b.c_str());

    // Two members issue at the same moment: both cards handled, each with its reader.
    wait_card_present(c, table_a, false);
    wait_card_present(c, table_b, false);
    auto first = insert(0, prepared_blank_card());
    auto second = insert(2, prepared_blank_card());
    std::set<std::string> issued_in;
    for (int i = 0; i < 2; ++i) {
        auto card = next_card_event(watcher);
        CHECK_MESSAGE(card.at("outcome") == "issued", boost::json::serialize(card));
        issued_in.insert(std::string(card.at("reader").as_string()));
    }
    CHECK(issued_in == std::set<std::string>{table_a, table_b});
    wait_card_present(c, table_a, true);
    wait_card_present(c, table_b, true);
    CHECK(c.request({{"command", "status"}}).at("status").at("card_present") == true);
    auto counts = counts_of(c);
    CHECK(counts.at("issued") == 3);
    CHECK(counts.at("cast") == 1);
    CHECK(counts.at("outstanding") == 2);
    first->remove();
    second->remove();
    CHECK(t.daemon->stop() == 0);
}

TEST_CASE("two table readers: cancel names the reader when both hold a card") {
    two_tables t;
    auto c = t.daemon->client();
    auto watcher = t.daemon->client();
    REQUIRE(is_ok(watcher.request({{"command", "watch"}})));

    auto card_a = insert(0, prepared_blank_card());
    CHECK(next_card_event(watcher).at("outcome") == "issued");
    card_a->remove();
    auto card_b = insert(2, prepared_blank_card());
    CHECK(next_card_event(watcher).at("outcome") == "issued");
    card_b->remove();
    wait_card_present(c, table_a, false);
    wait_card_present(c, table_b, false);
    CHECK(error_code(c.request({{"command", "cancel"}})) == "daemon.no_card");

    // Both voters bring their cards back unmarked, one at each table.
    auto back_a = insert(0, card_a->image());
    auto back_b = insert(2, card_b->image());
    for (int i = 0; i < 2; ++i)
        CHECK(next_card_event(watcher).at("outcome") == "not_voted_yet");
    wait_card_present(c, table_a, true);
    wait_card_present(c, table_b, true);

    CHECK(error_code(c.request({{"command", "cancel"}})) == "daemon.which_reader");
    CHECK(error_code(c.request({{"command", "cancel"}, {"reader", "Virtual PCD"}})) ==
          "daemon.ambiguous_reader");
    CHECK(error_code(c.request({{"command", "cancel"}, {"reader", booth}})) ==
          "daemon.unknown_reader");
    CHECK(counts_of(c).at("cancelled") == 0);

    auto cancel_b = c.request({{"command", "cancel"}, {"reader", "lane 1"}});
    REQUIRE_MESSAGE(is_ok(cancel_b), boost::json::serialize(cancel_b));
    CHECK(cancel_b.at("card").at("outcome") == "cancelled");
    CHECK(cancel_b.at("card").at("reader") == table_b.c_str());
    auto event_b = next_card_event(watcher);
    CHECK(event_b.at("outcome") == "cancelled");
    CHECK(event_b.at("reader") == table_b.c_str());
    CHECK(counts_of(c).at("cancelled") == 1);

    // Its card leaves; now only table A holds one, so a plain cancel means that one.
    back_b->remove();
    wait_card_present(c, table_b, false);
    CHECK(error_code(c.request({{"command", "cancel"}, {"reader", table_b}})) == "daemon.no_card");
    auto cancel_a = c.request({{"command", "cancel"}});
    REQUIRE_MESSAGE(is_ok(cancel_a), boost::json::serialize(cancel_a));
    CHECK(cancel_a.at("card").at("reader") == table_a.c_str());
    CHECK(next_card_event(watcher).at("reader") == table_a.c_str());
    auto counts = counts_of(c);
    CHECK(counts.at("issued") == 2);
    CHECK(counts.at("cancelled") == 2);
    CHECK(counts.at("outstanding") == 0);
    back_a->remove();
    CHECK(t.daemon->stop() == 0);
}
