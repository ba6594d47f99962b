// Crash safety of casting through the built ballotboxd, the real pcscd and vpcd: 50 times a
// voted card is put in the table reader and the daemon is killed with SIGKILL a seeded
// random moment later (before it saw the card, while it reads, commits or clears it, or
// after). After each restart the card is put back until it comes out blank; then every
// ballot cast so far is in the box exactly once. At the end the box holds exactly the
// ballots the booth wrote. Run under `flock /tmp/ballotbox-pcscd.lock` on a shared machine.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>
#include <iomanip>
#include <set>
#include <sstream>
#include <thread>

#include "cardio/card_codec.h"
#include "ledger/verify.h"
#include "tests/e2e/e2e_table.h"
#include "tests/support/pcscd_fixture.h"

namespace {

using namespace ballotbox;
using namespace ballotbox::e2e;
using namespace std::chrono_literals;

std::string clock_start(int minutes_after_eight) {
    std::ostringstream s;
    s << "--training-clock-start=2023-03-19T" << std::setw(2) << std::setfill('0')
      << 8 + minutes_after_eight / 60 << ":" << std::setw(2) << minutes_after_eight % 60;
    return s.str();
}

// A parsed blank record (a torn card does not parse: card.torn_write).
bool is_blank(const cardsim::card_image& image) {
    auto r = cardio::parse_card_image(image.files.at(0).content);
    return r.ok() && std::holds_alternative<cardio::blank_card>(*r);
}

std::vector<std::string> daemon_args(int minutes_after_eight) {
    return {"--table-reader=" + test_support::pcscd_fixture::reader_name(table_reader),
            clock_start(minutes_after_eight), "--training-clock-speed=1"};
}

TEST_CASE("ballotboxd killed with SIGKILL while cards are cast, 50 times") {
    const auto test_start = std::chrono::steady_clock::now();
    auto pcscd = test_support::pcscd_fixture::start();
    REQUIRE_MESSAGE(pcscd.ok(), pcscd.err().message);
    crypto::seeded_random random(5050);
    station st(random, "Asia/Almaty", true);
    std::vector<std::string> first = daemon_args(0);
    first.erase(first.begin());  // station::start adds the table reader
    st.start(first);
    st.set_up();
    st.open();
    table t(st);
    seen s;

    std::map<std::string, int> outcomes;  // what the first insertion after a restart said
    for (int round = 0; round < 50; ++round) {
        CAPTURE(round);
        auto issued_image = t.issue(s);
        const auto issued = std::get<cardio::issued_card>(record_of(issued_image));
        auto [voted_image, voted] =
            vote_at_booth(t.watch(), st, issued_image, st.package.booths[round % 2],
                          draw_choices(random, issued));
        const std::string key = ballot_key(voted);
        s.ballots.insert(key);

        // Put the voted card in and kill the daemon a random moment later.
        const auto delay = std::chrono::milliseconds(random.uniform(1600));
        bool accepted_seen = false;
        cardsim::card_image after;
        {
            inserted_card card(t.watch(), table_reader, voted_image);
            std::this_thread::sleep_for(delay);
            st.daemon->kill();
            after = card.remove();
        }
        // The restarted daemon must not find the card pcscd has not yet seen leave (vpcd is
        // polled every 400 ms): it would report it "removed" (a recorded refusal).
        REQUIRE(t.watch().wait(table_reader, false, 10s));
        while (auto e = t.watcher().next_card(0ms)) {  // what the daemon said before it died
            if (e->at("outcome") == "accepted")
                accepted_seen = true;
        }
        REQUIRE_MESSAGE(st.daemon->restart(daemon_args(round + 1)).ok(), st.daemon->log_tail());
        t.reconnect();

        // Put the card back until it is blank: each answer must fit what happened before.
        bool first_answer = true;
        for (int tries = 0; !is_blank(after); ++tries) {
            REQUIRE(tries < 3);
            auto [card, image] = t.present(after);
            const std::string outcome(card.at("outcome").as_string());
            const std::string reason =
                card.contains("reason") ? std::string(card.at("reason").as_string()) : "";
            if (first_answer)
                ++outcomes[outcome + (reason.empty() ? "" : "/" + reason)];
            first_answer = false;
            INFO("round ", round, " after a kill at ", delay.count(), " ms: ", describe(card));
            if (outcome == "accepted") {
                CHECK_FALSE(accepted_seen);  // an accepted card is never accepted again
                accepted_seen = true;
            } else if (outcome == "already_recorded") {
                ++s.notes;
            } else {
                // A voted card is only ever written to clear it, after its cast committed:
                // the kill tore that write.
                CHECK(reason == "torn");
                ++s.rejected;
            }
            after = image;
        }
        // Cast exactly once by now, whatever the daemon said or did not say.
        ++s.cast;
        auto status = st.status();
        INFO(boost::json::serialize(status));
        CHECK(status.at("counts").at("cast") == s.cast);
        CHECK(status.at("counts").at("issued") == s.issued);
        CHECK(status.at("state") == "open");
    }
    std::string summary;
    for (const auto& [what, n] : outcomes)
        summary += " " + what + "=" + std::to_string(n);
    MESSAGE("first answers after the 50 restarts:", summary);

    auto close = st.request({{"command", "close"}});
    REQUIRE_MESSAGE(test_support::is_ok_response(close), boost::json::serialize(close));
    CHECK(st.daemon->stop() == 0);
    auto report = ledger::verify(st.ledger_path());
    INFO(report.summary());
    CHECK(report.complete());
    auto c = count_ledger(st.ledger_path());
    CHECK(c.issue == s.issued);
    CHECK(c.cast == 50);
    CHECK(c.cancel == 0);
    CHECK(c.restart == 50);
    CHECK(c.rejected == s.rejected);
    CHECK(c.notes == s.notes);
    CHECK(box_ballots(st.ledger_path()) == s.ballots);
    MESSAGE("the crash test took ",
            std::chrono::duration<double>(std::chrono::steady_clock::now() - test_start).count(),
            " s");
}

}  // namespace
