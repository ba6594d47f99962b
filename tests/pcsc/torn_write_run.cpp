#include "tests/pcsc/torn_write_run.h"

#include <PCSC/winscard.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "cardio/card_codec.h"
#include "cardio/card_session.h"
#include "cardio/card_write_plan.h"
#include "tests/pcsc/cardio_test_events.h"
#include "tests/pcsc/reader_state.h"
#include "tools/cardsim/virtual_card_connection.h"

namespace ballotbox::cardio_pcsc_test {

namespace {

using cardio::card_record;
using cardio::card_session;
using cardsim::virtual_card_connection;

constexpr std::size_t restore_chunk_size = 128;  // as appliance/card_io.cpp writes

struct tear_case {
    std::size_t k = 0;  // UPDATE BINARY bytes of the write the card takes before the tear
    bool before_answer = false;
};

// What a read of these card bytes says: the record's encoding, or the refusal's code.
std::string verdict(const result<card_record>& r) {
    if (!r.ok())
        return r.err().code;
    auto encoded = cardio::encode_card_record(*r);
    return encoded.ok() ? "record " + to_hex(*encoded) : "unencodable record";
}

std::string verdict_of_image(const cardsim::card_image& image) {
    const auto& content = image.files.at(0).content;
    return verdict(
        cardio::parse_card_image(byte_view(content).first(cardio::max_card_record_size)));
}

std::size_t plan_bytes(byte_view old_image, byte_view record) {
    std::size_t n = 0;
    const auto plan = cardio::plan_write(old_image, record, restore_chunk_size).value();
    for (const auto& c : plan)
        n += c.data.size();
    return n;
}

// One reader's sequence of insertions, on its own thread: failures are collected, not
// asserted, and checked on the calling thread.
class reader_run {
  public:
    reader_run(int reader_index, std::vector<tear_case> cases, const torn_write_scenario& s)
        : index_(reader_index), cases_(std::move(cases)), scenario_(s) {
        total_ = scenario_.command_ends.empty() ? 0 : scenario_.command_ends.back();
    }

    void run() {
        if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx_) != SCARD_S_SUCCESS) {
            fail("no PC/SC context");
            return;
        }
        auto image = cardsim::card_image_with_record(scenario_.before).value();
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
            scenario_.name + ", reader " + std::to_string(index_) +
            (c ? ", k " + std::to_string(c->k) + (c->before_answer ? " (answer lost)" : "")
               : std::string()) +
            ": " + what);
    }

    std::string expected_after(const tear_case& c) const {
        if (c.k == 0)
            return "record " + to_hex(scenario_.before);
        if (c.k < total_)
            return "card.torn_write";
        return "record " + to_hex(scenario_.after);
    }

    // One insertion of `image`: check the appliance reads what it holds; then, for a case,
    // restore the old record if needed and make the write with the tear. Updates `image`.
    bool insertion(cardsim::card_image& image, const tear_case* c) {
        ++insertions;
        const bytes seen_before(image.files[0].content.begin(),
                                image.files[0].content.begin() + cardio::max_card_record_size);
        const std::string before_verdict = verdict_of_image(image);
        const bool restore = before_verdict != "record " + to_hex(scenario_.before);
        const std::size_t restore_bytes = restore ? plan_bytes(seen_before, scenario_.before) : 0;
        cardsim::fault_plan faults;
        if (c)
            faults = {.tear_after_bytes = restore_bytes + c->k,
                      .tear_before_answer = c->before_answer};
        virtual_card_connection card(cardsim::file_system_card(image),
                                     {.reader = index_, .reconnect = false}, faults);
        card.insert();
        if (!wait_reader_state(ctx_, reader(index_), SCARD_STATE_PRESENT)) {
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
        if (!seen.ok() || seen->image != seen_before || verdict(seen->record) != before_verdict)
            fail("the appliance read " + (seen.ok() ? verdict(seen->record) : seen.err().code) +
                     ", the card holds " + before_verdict,
                 c);
        bool ok = seen.ok();
        if (ok && c) {
            ok = write_with_tear(**session, *seen, restore, *c);
            (void)(*session)->close();
            session->reset();
            if (ok)
                ok = finish_tear(card, *c);
        }
        if (!c || !ok) {
            session->reset();
            card.remove();
            wait_reader_state(ctx_, reader(index_), SCARD_STATE_EMPTY);
        }
        image = card.image();
        return ok;
    }

    bool write_with_tear(card_session& session, const appliance::card_contents& seen, bool restore,
                         const tear_case& c) {
        if (restore) {  // whoever made the old record makes it again
            auto old_record = cardio::parse_card_record(scenario_.before).value();
            if (auto w = appliance::write_card(session, seen.image, old_record); !w.ok()) {
                fail("restoring the old record: " + w.err().code, &c);
                return false;
            }
        }
        // The writer reads the card, then writes over what it read.
        auto read = appliance::read_card(session);
        if (!read.ok() || verdict(read->record) != "record " + to_hex(scenario_.before)) {
            fail("the old record does not read back before the write", &c);
            return false;
        }
        const auto written = scenario_.write(session, *read);
        write_ok_ = written.ok();
        write_code_ = written.ok() ? "" : written.err().code;
        return true;
    }

    bool finish_tear(virtual_card_connection& card, const tear_case& c) {
        const bool torn = c.k < total_ || c.before_answer;
        if (torn) {
            if (write_ok_)
                fail("the write reported success but the card was torn", &c);
            else if (write_code_ != "card.removed")
                fail("the write failed with " + write_code_ + ", not card.removed", &c);
            if (card.wait_ended(seen_limit) != cardsim::card_end::torn)
                fail("the virtual card did not tear", &c);
        } else {
            if (!write_ok_)
                fail("the untorn write failed with " + write_code_, &c);
            card.remove();
        }
        if (!wait_reader_state(ctx_, reader(index_), SCARD_STATE_EMPTY)) {
            fail("the reader did not become empty", &c);
            return false;
        }
        const std::string now = verdict_of_image(card.image());
        if (now != expected_after(c))
            fail("after the write the card reads " + now + ", expected " + expected_after(c), &c);
        return true;
    }

    int index_;
    std::vector<tear_case> cases_;
    const torn_write_scenario& scenario_;
    std::size_t total_ = 0;
    SCARDCONTEXT ctx_ = 0;
    bool write_ok_ = false;
    std::string write_code_;
};

}  // namespace

std::size_t run_every_tear(const torn_write_scenario& scenario) {
    REQUIRE_FALSE(scenario.command_ends.empty());
    const std::size_t total = scenario.command_ends.back();
    // Every offset 0..total (total: no tear), and each command boundary with the answer lost.
    std::vector<tear_case> cases;
    for (const auto end : scenario.command_ends)
        cases.push_back({end, true});
    for (std::size_t k = 0; k <= total; ++k)
        cases.push_back({k, false});

    std::vector<tear_case> half[2];
    for (std::size_t i = 0; i < cases.size(); ++i)
        half[i % 2].push_back(cases[i]);

    reader_run runs[2] = {{0, half[0], scenario}, {1, half[1], scenario}};
    std::thread second([&] { runs[1].run(); });
    runs[0].run();
    second.join();

    std::size_t insertions = 0;
    for (int i = 0; i < 2; ++i) {
        for (const auto& f : runs[i].failures)
            FAIL_CHECK(f);
        CHECK(runs[i].insertions == half[i].size() + 1);  // every case ran, and the read-back
        insertions += runs[i].insertions;
    }
    return insertions;
}

}  // namespace ballotbox::cardio_pcsc_test
