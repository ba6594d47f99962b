// ballotboxd through the real pcscd and vpcd: a blank virtual card inserted in the table
// reader is issued; inserted again it is "not voted yet"; the poll worker's cancel over the
// control socket cancels it. Run under `flock /tmp/ballotbox-pcscd.lock` on a shared machine.
#include "tests/daemon_pcsc/daemon_cards.h"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "cardio/card_codec.h"
#include "common/canonical_json.h"
#include "tests/daemon/daemon_process.h"
#include "tests/support/pcscd_fixture.h"
#include "tests/support/temp_dir.h"
#include "tools/cardsim/virtual_card_connection.h"

namespace {

using namespace ballotbox;
using namespace ballotbox::test_daemon;
using cardsim::virtual_card_connection;

// Waits until the daemon's status says whether a card is in the table reader.
void wait_card_present(line_client& c, bool present) {
    for (int i = 0; i < 1000; ++i) {
        if (c.request({{"command", "status"}}).at("status").at("card_present") == present)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("card_present never became " << present);
}

TEST_CASE("a blank card is issued, comes back not voted yet, and is cancelled on command") {
    auto pcscd = test_support::pcscd_fixture::start();
    REQUIRE_MESSAGE(pcscd.ok(), pcscd.err().message);
    test_support::temp_dir dir("ballotbox-daemon-pcsc");
    daemon_process daemon(dir.path(),
                          {"--table-reader=" + test_support::pcscd_fixture::reader_name(0),
                           "--training-clock-start=2023-03-19T08:00", "--training-clock-speed=1"});
    auto c = daemon.client();
    auto setup = c.request({{"command", "setup"}, {"package", read_text(training_package_path())}});
    REQUIRE_MESSAGE(is_ok(setup), boost::json::serialize(setup));
    REQUIRE(is_ok(c.request({{"command", "open"}, {"secret", training_secret}})));
    auto status = c.request({{"command", "status"}}).at("status").as_object();
    CHECK(status.at("state") == "open");
    CHECK(status.at("now_local").as_string().starts_with("2023-03-19 08:0"));

    auto watcher = daemon.client();
    REQUIRE(is_ok(watcher.request({{"command", "watch"}})));

    virtual_card_connection blank(cardsim::file_system_card(prepared_blank_card()), {.reader = 0});
    blank.insert();
    auto issued = next_card_event(watcher);
    CHECK_MESSAGE(issued.at("outcome") == "issued", boost::json::serialize(issued));
    CHECK(issued.at("style") == "both");
    CHECK(issued.at("training") == true);
    auto counts = c.request({{"command", "status"}}).at("status").at("counts").as_object();
    CHECK(counts.at("issued") == 1);
    CHECK(counts.at("cancelled") == 0);
    blank.remove();
    wait_card_present(c, false);
    CHECK(error_code(c.request({{"command", "cancel"}})) == "daemon.no_card");

    virtual_card_connection again(cardsim::file_system_card(blank.image()), {.reader = 0});
    again.insert();
    auto back = next_card_event(watcher);
    CHECK_MESSAGE(back.at("outcome") == "not_voted_yet", boost::json::serialize(back));
    wait_card_present(c, true);

    auto cancel = c.request({{"command", "cancel"}});
    REQUIRE_MESSAGE(is_ok(cancel), boost::json::serialize(cancel));
    CHECK(cancel.at("card").at("outcome") == "cancelled");
    CHECK(next_card_event(watcher).at("outcome") == "cancelled");
    counts = c.request({{"command", "status"}}).at("status").at("counts").as_object();
    CHECK(counts.at("issued") == 1);
    CHECK(counts.at("cancelled") == 1);
    CHECK(counts.at("outstanding") == 0);
    again.remove();

    // The cleared card is blank again: the next insertion issues it anew.
    virtual_card_connection reused(cardsim::file_system_card(again.image()), {.reader = 0});
    reused.insert();
    CHECK(next_card_event(watcher).at("outcome") == "issued");
    reused.remove();
    CHECK(daemon.stop() == 0);
    CHECK(daemon.log().find("card_result") != std::string::npos);
}

}  // namespace
