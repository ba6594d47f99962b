// The appliance clearing a voted card through the real pcscd and vpcd, with the card torn
// (pulled out: the virtual card loses power and disconnects) at every byte offset of the
// clear's write plan, and once more at every command boundary with the answer lost after the
// write took effect (cardsim's tear_before_answer).
//
// For every offset the card either keeps the voted record, is detected as card.torn_write,
// or holds the blank record, exactly as docs/card-format.md requires, and never anything
// else. The appliance's view agrees: its write (appliance::write_card) reports success only
// when the card holds the blank record and card.removed otherwise, and its next read through
// pcscd (appliance::read_card, at the next insertion) returns the card's bytes and the same
// verdict.
//
// One insertion per offset: an insertion first reads back what the previous tear left,
// writes the voted record again if it is gone (the cardsim tear budget counts those bytes
// too), reads it as the appliance does at a cast, then clears it with the tear. Readers 0
// and 1 each run half of the offsets at the same time, on one pcscd.
#include <PCSC/winscard.h>
#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "appliance/card_io.h"
#include "cardio/card_codec.h"
#include "cardio/card_session.h"
#include "cardio/card_write_plan.h"
#include "tests/cardio/card_fixtures.h"
#include "tests/pcsc/cardio_test_events.h"
#include "tools/cardsim/virtual_card_connection.h"

using namespace ballotbox;
using namespace ballotbox::cardio;
using namespace ballotbox::cardio_pcsc_test;
using cardsim::virtual_card_connection;

namespace {

constexpr std::size_t chunk_size = 128;  // as appliance/card_io.cpp writes

struct tear_case {
    std::size_t k = 0;  // UPDATE BINARY bytes of the clear the card takes before the tear
    bool before_answer = false;
};

// What a read of these card bytes says: the record's encoding, or the refusal's code.
std::string verdict(const result<card_record>& r) {
    if (!r.ok())
        return r.err().code;
    auto encoded = encode_card_record(*r);
    return encoded.ok() ? "record " + to_hex(*encoded) : "unencodable record";
}

std::string verdict_of_image(const cardsim::card_image& image) {
    const auto& content = image.files.at(0).content;
    return verdict(parse_card_image(byte_view(content).first(max_card_record_size)));
}

std::size_t plan_bytes(byte_view old_image, byte_view record) {
    std::size_t n = 0;
    const auto plan = plan_write(old_image, record, chunk_size);
    for (const auto& c : plan.value())
        n += c.data.size();
    return n;
}

// Waits until the reader shows `flag`, with a context of the calling thread.
bool wait_state(SCARDCONTEXT ctx, const std::string& name, DWORD flag) {
    SCARD_READERSTATE rs{};
    rs.szReader = name.c_str();
    rs.dwCurrentState = SCARD_STATE_UNAWARE;
    const auto until = std::chrono::steady_clock::now() + seen_limit;
    while (std::chrono::steady_clock::now() < until) {
        const LONG rv = SCardGetStatusChange(ctx, 500, &rs, 1);
        if (rv == SCARD_S_SUCCESS && (rs.dwEventState & flag))
            return true;
        if (rv == SCARD_S_SUCCESS)
            rs.dwCurrentState = rs.dwEventState & ~SCARD_STATE_CHANGED;
        else if (rv != SCARD_E_TIMEOUT)
            return false;
    }
    return false;
}

// One reader's sequence of insertions. Failures are collected, not asserted, since this runs
// on its own thread; the test checks them on the main thread.
class reader_run {
  public:
    reader_run(int reader_index, std::vector<tear_case> cases, bytes voted, bytes blank)
        : index_(reader_index),
          cases_(std::move(cases)),
          voted_(std::move(voted)),
          blank_(std::move(blank)) {}

    void run() {
        if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx_) != SCARD_S_SUCCESS) {
            fail("no PC/SC context");
            return;
        }
        auto image = cardsim::blank_card_image(cardsim::default_layout()).value();
        std::copy(voted_.begin(), voted_.end(), image.files[0].content.begin());
        for (const auto& c : cases_)
            if (!insertion(image, &c))
                break;
        insertion(image, nullptr);  // reads back what the last tear left
        SCardReleaseContext(ctx_);
    }

    std::vector<std::string> failures;
    std::size_t insertions = 0;

  private:
    void fail(const std::string& what, const tear_case* c = nullptr) {
        failures.push_back(
            "reader " + std::to_string(index_) +
            (c ? ", k " + std::to_string(c->k) + (c->before_answer ? " (answer lost)" : "")
               : std::string()) +
            ": " + what);
    }

    std::string expected_after(const tear_case& c, std::size_t total) const {
        if (c.k == 0)
            return "record " + to_hex(voted_);
        if (c.k < total)
            return "card.torn_write";
        return "record " + to_hex(blank_);
    }

    // One insertion of `image`: check the appliance reads what it holds; then, for a case,
    // restore the voted record if needed and clear it with the tear. Updates `image`.
    bool insertion(cardsim::card_image& image, const tear_case* c) {
        ++insertions;
        const bytes before(image.files[0].content.begin(),
                           image.files[0].content.begin() + max_card_record_size);
        const std::string before_verdict = verdict_of_image(image);
        const bool restore = before_verdict != "record " + to_hex(voted_);
        const std::size_t restore_bytes = restore ? plan_bytes(before, voted_) : 0;
        cardsim::fault_plan faults;
        if (c)
            faults = {.tear_after_bytes = restore_bytes + c->k,
                      .tear_before_answer = c->before_answer};
        virtual_card_connection card(cardsim::file_system_card(image),
                                     {.reader = index_, .reconnect = false}, faults);
        card.insert();
        if (!wait_state(ctx_, reader(index_), SCARD_STATE_PRESENT)) {
            fail("the card was not seen inserted", c);
            return false;
        }
        auto session = card_session::open(reader(index_));
        if (!session.ok()) {
            fail("open: " + session.err().code + ": " + session.err().message, c);
            return false;
        }
        // The appliance's view of what the last tear left must be the card's.
        auto seen = appliance::read_card(**session);
        if (!seen.ok() || seen->image != before || verdict(seen->record) != before_verdict)
            fail("the appliance read " + (seen.ok() ? verdict(seen->record) : seen.err().code) +
                     ", the card holds " + before_verdict,
                 c);
        bool ok = seen.ok();
        if (ok && c) {
            std::size_t total = 0;
            ok = clear_with_tear(**session, *seen, restore, *c, total);
            (void)(*session)->close();
            session->reset();
            if (ok)
                ok = finish_tear(card, *c, total);
        }
        if (!c || !ok) {
            session->reset();
            card.remove();
            wait_state(ctx_, reader(index_), SCARD_STATE_EMPTY);
        }
        image = card.image();
        return ok;
    }

    bool clear_with_tear(card_session& session, appliance::card_contents seen, bool restore,
                         const tear_case& c, std::size_t& total) {
        if (restore) {  // the booth writes the vote again
            auto voted = parse_card_record(voted_).value();
            if (auto w = appliance::write_card(session, seen.image, voted); !w.ok()) {
                fail("restoring the voted record: " + w.err().code, &c);
                return false;
            }
        }
        // The cast: read, then clear over what was read.
        auto cast = appliance::read_card(session);
        if (!cast.ok() || verdict(cast->record) != "record " + to_hex(voted_)) {
            fail("the voted record does not read back before the clear", &c);
            return false;
        }
        total = plan_bytes(cast->image, blank_);
        auto written = appliance::write_card(session, cast->image, cardio::blank_card{});
        write_ok_ = written.ok();
        write_code_ = written.ok() ? "" : written.err().code;
        return true;
    }

    bool finish_tear(virtual_card_connection& card, const tear_case& c, std::size_t total) {
        const bool torn = c.k < total || c.before_answer;
        if (torn) {
            if (write_ok_)
                fail("the write reported success but the card was torn", &c);
            else if (write_code_ != "card.removed")
                fail("the write failed with " + write_code_ + ", not card.removed", &c);
            const auto end = card.wait_ended(seen_limit);
            if (end != cardsim::card_end::torn)
                fail("the virtual card did not tear", &c);
        } else {
            if (!write_ok_)
                fail("the untorn write failed with " + write_code_, &c);
            card.remove();
        }
        if (!wait_state(ctx_, reader(index_), SCARD_STATE_EMPTY)) {
            fail("the reader did not become empty", &c);
            return false;
        }
        const std::string now = verdict_of_image(card.image());
        if (now != expected_after(c, total))
            fail("after the clear the card reads " + now + ", expected " + expected_after(c, total),
                 &c);
        return true;
    }

    int index_;
    std::vector<tear_case> cases_;
    bytes voted_, blank_;
    SCARDCONTEXT ctx_ = 0;
    bool write_ok_ = false;
    std::string write_code_;
};

}  // namespace

TEST_CASE("a voted card cleared through pcscd and torn at every byte offset is never misread") {
    const bytes voted = cardio::testing::encoded(cardio::testing::fixture_voted());
    const bytes blank = cardio::testing::encoded(cardio::blank_card{});
    bytes voted_image(max_card_record_size, 0);
    std::copy(voted.begin(), voted.end(), voted_image.begin());
    const auto plan = plan_write(voted_image, blank, chunk_size).value();

    // Every offset 0..total (total: no tear), and each command boundary with the answer lost.
    std::vector<tear_case> cases;
    std::size_t total = 0;
    for (const auto& c : plan) {
        total += c.data.size();
        cases.push_back({total, true});
    }
    for (std::size_t k = 0; k <= total; ++k)
        cases.push_back({k, false});
    CAPTURE(total);
    REQUIRE(plan.size() == 5);  // open, record bytes 1..39, two chunks of stale zeros, commit
    REQUIRE(total == voted.size() + 1);

    std::vector<tear_case> half[2];
    for (std::size_t i = 0; i < cases.size(); ++i)
        half[i % 2].push_back(cases[i]);

    auto pcscd = start_pcscd();
    reader_run runs[2] = {{0, half[0], voted, blank}, {1, half[1], voted, blank}};
    std::thread second([&] { runs[1].run(); });
    runs[0].run();
    second.join();

    for (int i = 0; i < 2; ++i) {
        for (const auto& f : runs[i].failures)
            FAIL_CHECK(f);
        CHECK(runs[i].insertions == half[i].size() + 1);  // every case ran, and the read-back
    }
}
