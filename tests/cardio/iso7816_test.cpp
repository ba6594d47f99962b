// ISO 7816-4 exchanges and file commands over scripted transports (exact bytes on the wire)
// and faults injected with fault_injecting_transport.
#include "cardio/iso7816.h"

#include <doctest/doctest.h>

#include <deque>
#include <string>
#include <utility>

#include "cardio/apdu_status.h"
#include "cardio/card_transport_faults.h"
#include "cardio/iso7816_exchange.h"
#include "tools/cardsim/file_system_card.h"

using namespace ballotbox;
using namespace ballotbox::cardio;

namespace {

bytes hex(std::string_view h) {
    return from_hex(h).value();
}

// Expects exactly the scripted commands, in order, and plays back the scripted answers.
class scripted_transport final : public card_transport {
  public:
    void expect(std::string_view command_hex, bytes answer) {
        script_.emplace_back(std::string(command_hex), std::move(answer));
    }
    void expect(std::string_view command_hex, std::string_view answer_hex) {
        expect(command_hex, hex(answer_hex));
    }
    result<bytes> transmit(byte_view command) override {
        ++calls;
        if (script_.empty()) {
            FAIL_CHECK("unexpected command " << to_hex(command));
            return make_error("test.unexpected", "unexpected command");
        }
        auto [want, answer] = std::move(script_.front());
        script_.pop_front();
        CHECK(to_hex(command) == want);
        return answer;
    }
    bool done() const { return script_.empty(); }
    int calls = 0;

  private:
    std::deque<std::pair<std::string, bytes>> script_;
};

bytes filled(std::size_t n, std::uint8_t start = 0) {
    bytes b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = static_cast<std::uint8_t>(start + i);
    return b;
}

bytes with_sw(bytes data, std::uint16_t sw) {
    data.push_back(static_cast<std::uint8_t>(sw >> 8));
    data.push_back(static_cast<std::uint8_t>(sw & 0xff));
    return data;
}

// The cardsim colleague's pure card model behind the transport seam.
class model_transport final : public card_transport {
  public:
    explicit model_transport(cardsim::file_system_card card) : card_(std::move(card)) {}
    result<bytes> transmit(byte_view command) override {
        ++calls;
        return card_.process(command);
    }
    const cardsim::file_system_card& card() const { return card_; }
    int calls = 0;

  private:
    cardsim::file_system_card card_;
};

cardsim::file_system_card model_card(bool t0, std::uint16_t size = 1024) {
    auto image = cardsim::blank_card_image({{.id = 0x0B01, .size = size}});
    REQUIRE(image.ok());
    return cardsim::file_system_card(*image, cardsim::card_options{.t0 = t0});
}

const command_apdu select_fcp{
    .cla = 0, .ins = 0xA4, .p1 = 2, .p2 = 0, .data = {0xC1, 0x0B}, .le = 256};

command_apdu select_fcp_of(std::uint16_t id) {
    return command_apdu{
        .cla = 0,
        .ins = 0xA4,
        .p1 = 2,
        .p2 = 0,
        .data = {static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id & 0xff)},
        .le = 256};
}

}  // namespace

TEST_CASE("61xx answers are collected with GET RESPONSE until 9000") {
    scripted_transport t;
    t.expect("00a4020002c10b00", "6110");
    t.expect("00c0000010", with_sw(filled(16), 0x6105));
    t.expect("00c0000005", with_sw(filled(5, 16), 0x9000));
    auto r = exchange(t, select_fcp);
    REQUIRE(r.ok());
    CHECK(r->sw == 0x9000);
    CHECK(r->data == filled(21));
    CHECK(t.done());
}

TEST_CASE("6100 asks for 256 bytes with GET RESPONSE Le=00") {
    scripted_transport t;
    t.expect("00a4020002c10b00", "6100");
    t.expect("00c0000000", with_sw(filled(256), 0x9000));
    auto r = exchange(t, select_fcp);
    REQUIRE(r.ok());
    CHECK(r->data.size() == 256);
    CHECK(t.done());
}

TEST_CASE("an endless 61xx chain is cut off after the configured number of GET RESPONSEs") {
    scripted_transport t;
    t.expect("00a4020002c10b00", "6101");
    for (int i = 0; i < 3; ++i)
        t.expect("00c0000001", "aa6101");
    auto r = exchange(t, select_fcp, exchange_options{.max_get_response = 3});
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "card.response_chain_too_long");
    CHECK(t.done());
}

TEST_CASE("the final status word of a GET RESPONSE chain is returned unchecked") {
    scripted_transport t;
    t.expect("00a4020002c10b00", "6102");
    t.expect("00c0000002", "01026282");
    auto r = exchange(t, select_fcp);
    REQUIRE(r.ok());
    CHECK(r->sw == 0x6282);
    CHECK(r->data == bytes{1, 2});
}

TEST_CASE("6Cxx re-sends the command once with the Le the card asked for") {
    scripted_transport t;
    t.expect("00b0000000", "6c20");
    t.expect("00b0000020", with_sw(filled(32), 0x9000));
    auto r =
        exchange(t, command_apdu{.cla = 0, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 256});
    REQUIRE(r.ok());
    CHECK(r->data == filled(32));
    CHECK(t.done());
}

TEST_CASE("6C00 means 256 bytes") {
    scripted_transport t;
    t.expect("00b0000010", "6c00");
    t.expect("00b0000000", with_sw(filled(256), 0x9000));
    auto r =
        exchange(t, command_apdu{.cla = 0, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 16});
    REQUIRE(r.ok());
    CHECK(r->data.size() == 256);
}

TEST_CASE("a second 6Cxx in a row is refused as card.wrong_le") {
    scripted_transport t;
    t.expect("00b0000000", "6c20");
    t.expect("00b0000020", "6c10");
    auto r =
        exchange(t, command_apdu{.cla = 0, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 256});
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "card.wrong_le");
    CHECK(t.done());
}

TEST_CASE("6Cxx on a GET RESPONSE re-sends the GET RESPONSE") {
    scripted_transport t;
    t.expect("00a4020002c10b00", "6110");
    t.expect("00c0000010", "6c08");
    t.expect("00c0000008", with_sw(filled(8), 0x9000));
    auto r = exchange(t, select_fcp);
    REQUIRE(r.ok());
    CHECK(r->data == filled(8));
    CHECK(t.done());
}

TEST_CASE("malformed answers and transport errors come back as errors") {
    scripted_transport t;
    t.expect("00b0000010", "90");
    auto r =
        exchange(t, command_apdu{.cla = 0, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 16});
    CHECK(r.err().code == "card.response_too_short");

    scripted_transport inner;
    inner.expect("00b0000010", "9000");
    fault_injecting_transport f(inner);
    f.fail_call(1, make_error("card.timeout", "slow"));
    auto timed_out =
        exchange(f, command_apdu{.cla = 0, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 16});
    CHECK(timed_out.err().code == "card.timeout");
    CHECK(f.delivered() == 0);
}

TEST_CASE("SELECT EF by file id asks for no data, and falls back to P2=00 on 6A86") {
    scripted_transport t;
    t.expect("00a4020c02c10b", "9000");
    iso7816_card card(t);
    CHECK(card.select_ef(0xC10B).ok());

    scripted_transport strict;
    strict.expect("00a4020c02c10b", "6a86");
    strict.expect("00a4020002c10b00", "6108");
    strict.expect("00c0000008", with_sw(filled(8), 0x9000));
    iso7816_card strict_card(strict);
    CHECK(strict_card.select_ef(0xC10B).ok());
    CHECK(strict.done());

    scripted_transport missing;
    missing.expect("00a4020c02c10b", "6a82");
    iso7816_card missing_card(missing);
    auto s = missing_card.select_ef(0xC10B);
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == "card.file_not_found");
}

TEST_CASE("READ BINARY reads in chunks at increasing offsets") {
    scripted_transport t;
    const bytes content = filled(600);
    t.expect("00b0000000", with_sw(bytes(content.begin(), content.begin() + 256), 0x9000));
    t.expect("00b0010000", with_sw(bytes(content.begin() + 256, content.begin() + 512), 0x9000));
    t.expect("00b0020058", with_sw(bytes(content.begin() + 512, content.end()), 0x9000));
    iso7816_card card(t);
    auto r = card.read_binary(0, 600);
    REQUIRE(r.ok());
    CHECK(*r == content);
    CHECK(t.done());
}

TEST_CASE("READ BINARY honours a smaller chunk size and a start offset") {
    scripted_transport t;
    t.expect("00b0000a80", with_sw(filled(128), 0x9000));
    t.expect("00b0008a0a", with_sw(filled(10, 128), 0x9000));
    iso7816_card card(t, iso7816_options{.read_chunk = 128, .write_chunk = 128, .exchange = {}});
    auto r = card.read_binary(10, 138);
    REQUIRE(r.ok());
    CHECK(*r == filled(138));
}

TEST_CASE("READ BINARY of bytes past the end of the file is card.end_of_file") {
    scripted_transport t1;
    t1.expect("00b0000064", with_sw(filled(40), 0x6282));
    CHECK(iso7816_card(t1).read_binary(0, 100).err().code == "card.end_of_file");

    scripted_transport t2;
    t2.expect("00b0000064", "6b00");
    CHECK(iso7816_card(t2).read_binary(0, 100).err().code == "card.end_of_file");

    scripted_transport t3;
    t3.expect("00b0000064", with_sw(filled(40), 0x9000));
    CHECK(iso7816_card(t3).read_binary(0, 100).err().code == "card.end_of_file");

    scripted_transport t4;
    t4.expect("00b0000004", with_sw(filled(5), 0x9000));
    CHECK(iso7816_card(t4).read_binary(0, 4).err().code == "card.response_too_long");

    scripted_transport t5;
    t5.expect("00b0000004", "6982");
    CHECK(iso7816_card(t5).read_binary(0, 4).err().code == "card.security_not_satisfied");
}

TEST_CASE("reading a whole EF of unknown size stops where the card says the file ends") {
    SUBCASE("6B00 at an offset equal to the size") {
        scripted_transport t;
        t.expect("00b0000000", with_sw(filled(256), 0x9000));
        t.expect("00b0010000", "6b00");
        auto r = iso7816_card(t).read_ef(1024);
        REQUIRE(r.ok());
        CHECK(*r == filled(256));
        CHECK(t.done());
    }
    SUBCASE("6282 with the last bytes") {
        scripted_transport t;
        t.expect("00b0000000", with_sw(filled(256), 0x9000));
        t.expect("00b0010000", with_sw(filled(44, 0), 0x6282));
        auto r = iso7816_card(t).read_ef(1024);
        REQUIRE(r.ok());
        CHECK(r->size() == 300);
    }
    SUBCASE("6Cxx (T=0 cards) with the size left, then 6B00") {
        scripted_transport t;
        t.expect("00b0000000", "6c2c");
        t.expect("00b000002c", with_sw(filled(44), 0x9000));
        auto r = iso7816_card(t).read_ef(1024);
        REQUIRE(r.ok());
        CHECK(*r == filled(44));
    }
    SUBCASE("a file larger than the limit is refused") {
        scripted_transport t;
        t.expect("00b0000000", with_sw(filled(256), 0x9000));
        t.expect("00b0010065", with_sw(filled(101), 0x9000));
        auto r = iso7816_card(t).read_ef(356);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == "card.file_too_large");
    }
    SUBCASE("a file of exactly the limit is accepted") {
        scripted_transport t;
        t.expect("00b0000000", with_sw(filled(256), 0x9000));
        t.expect("00b0010065", with_sw(filled(100), 0x6282));
        auto r = iso7816_card(t).read_ef(356);
        REQUIRE(r.ok());
        CHECK(r->size() == 356);
    }
    SUBCASE("any other status word is the mapped error") {
        scripted_transport t;
        t.expect("00b0000000", "6986");
        CHECK(iso7816_card(t).read_ef(1024).err().code == "card.no_current_file");
    }
}

TEST_CASE("UPDATE BINARY writes in chunks of at most 255 bytes at increasing offsets") {
    scripted_transport t;
    const bytes data = filled(600);
    auto expect_chunk = [&](std::size_t offset, std::size_t from, std::size_t n) {
        char head[16];
        std::snprintf(head, sizeof head, "00d6%04zx%02zx", offset, n);
        t.expect(std::string(head) + to_hex(byte_view(data).subspan(from, n)), "9000");
    };
    expect_chunk(10, 0, 255);
    expect_chunk(265, 255, 255);
    expect_chunk(520, 510, 90);
    iso7816_card card(t);
    CHECK(card.update_binary(10, data).ok());
    CHECK(t.done());
}

TEST_CASE("UPDATE BINARY stops at the first failing chunk with its status word") {
    scripted_transport t;
    t.expect(
        "00d6000002"
        "0102",
        "9000");
    t.expect(
        "00d6000202"
        "0304",
        "6581");
    iso7816_card card(t, iso7816_options{.read_chunk = 256, .write_chunk = 2, .exchange = {}});
    auto s = card.update_binary(0, bytes{1, 2, 3, 4, 5, 6});
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == "card.memory_failure");
    CHECK(t.done());
}

TEST_CASE("offsets beyond what READ/UPDATE BINARY can address are refused before sending") {
    scripted_transport t;
    iso7816_card card(t);
    CHECK(card.read_binary(0x7fff, 2).err().code == "card.offset_too_large");
    CHECK(card.read_binary(0x8000, 0).err().code == "card.offset_too_large");
    CHECK(card.update_binary(0x7ff0, bytes(17, 0)).err().code == "card.offset_too_large");
    CHECK(t.calls == 0);
    scripted_transport edge;
    edge.expect("00b07fff01", "009000");
    CHECK(iso7816_card(edge).read_binary(0x7fff, 1).ok());
}

TEST_CASE("a card pulled out mid-read is reported as card.removed") {
    scripted_transport t;
    t.expect("00b0000000", with_sw(filled(256), 0x9000));
    t.expect("00b0010000", with_sw(filled(256), 0x9000));
    fault_injecting_transport f(t);
    f.remove_card_before(2);
    iso7816_card card(f);
    auto r = card.read_binary(0, 600);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "card.removed");
    CHECK(r.err().message == "card removed too early: insert it again");
    CHECK(f.delivered() == 1);
    CHECK(card.read_binary(0, 1).err().code == "card.removed");
}

TEST_CASE("write and read back a whole EF on the card model, T=1 and T=0 styles") {
    for (bool t0 : {false, true}) {
        CAPTURE(t0);
        model_transport t(model_card(t0, 700));
        iso7816_card card(t);
        REQUIRE(card.select_ef(0x0B01).ok());
        const bytes data = filled(700, 7);
        REQUIRE(card.update_binary(0, data).ok());
        CHECK(t.card().image().files.at(0).content == data);

        auto part = card.read_binary(300, 400);
        REQUIRE(part.ok());
        CHECK(*part == bytes(data.begin() + 300, data.end()));

        auto whole = card.read_ef(1024);
        REQUIRE(whole.ok());
        CHECK(*whole == data);

        CHECK(card.read_ef(699).err().code == "card.file_too_large");
        CHECK(card.read_binary(600, 101).err().code == "card.end_of_file");
        CHECK(card.update_binary(600, bytes(101, 1)).err().code == "card.not_enough_memory");
    }
}

TEST_CASE("the card model's errors come back as the mapped card errors") {
    model_transport t(model_card(false));
    iso7816_card card(t);
    CHECK(card.read_binary(0, 4).err().code == "card.no_current_file");
    CHECK(card.select_ef(0x0B02).err().code == "card.file_not_found");
    auto bad_class =
        exchange(t, command_apdu{.cla = 0x80, .ins = 0xB0, .p1 = 0, .p2 = 0, .data = {}, .le = 1});
    REQUIRE(bad_class.ok());
    CHECK(status_word_error(bad_class->sw, "x").code == "card.cla_not_supported");
    auto bad_ins =
        exchange(t, command_apdu{.cla = 0, .ins = 0x44, .p1 = 0, .p2 = 0, .data = {}, .le = 0});
    REQUIRE(bad_ins.ok());
    CHECK(status_word_error(bad_ins->sw, "x").code == "card.ins_not_supported");
}

TEST_CASE("SELECT with FCP on a T=0 style card model goes through GET RESPONSE") {
    model_transport t(model_card(true));
    auto r = exchange(t, select_fcp_of(0x0B01));
    REQUIRE(r.ok());
    CHECK(r->sw == 0x9000);
    REQUIRE(r->data.size() >= 2);
    CHECK(r->data[0] == 0x62);  // an FCP template
    CHECK(t.calls == 2);        // the SELECT and one GET RESPONSE
}

TEST_CASE("a card pulled out mid-write on the card model leaves the leading chunks written") {
    model_transport model(model_card(false));
    fault_injecting_transport f(model);
    iso7816_card card(f, iso7816_options{.read_chunk = 256, .write_chunk = 100, .exchange = {}});
    REQUIRE(card.select_ef(0x0B01).ok());  // call 1
    f.remove_card_after(3);                // the second chunk is written, its answer is lost
    auto s = card.update_binary(0, filled(300, 1));
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == "card.removed");
    const auto& content = model.card().image().files.at(0).content;
    CHECK(bytes(content.begin(), content.begin() + 200) == filled(200, 1));
    CHECK(bytes(content.begin() + 200, content.begin() + 300) == bytes(100, 0));
    CHECK(f.delivered() == 3);
}

TEST_CASE("an error on the Nth call of a read over the card model is reported as is") {
    model_transport model(model_card(false));
    fault_injecting_transport f(model);
    iso7816_card card(f);
    REQUIRE(card.select_ef(0x0B01).ok());
    f.fail_call(3, make_error("card.reader_gone", "reader unplugged"));
    auto r = card.read_binary(0, 1024);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "card.reader_gone");
    CHECK(f.calls() == 3);
}
