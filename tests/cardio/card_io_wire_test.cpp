// The messages between card_session and its card I/O process: every kind round-trips, and
// every malformed message is refused as card.io_process_garbled.
#include "cardio/card_io_wire.h"

#include <doctest/doctest.h>

#include <string>

using namespace ballotbox;
using namespace ballotbox::cardio;
namespace wire = ballotbox::cardio::card_io_wire;

namespace {

bytes h(std::string_view hex) {
    return from_hex(hex).value();
}

std::string garbled_reason(const result<wire::reply>& r) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "card.io_process_garbled");
    return r.err().message;
}

}  // namespace

TEST_CASE("card I/O requests: transmit and close round-trip, anything else is refused") {
    const bytes apdu = h("00a4020c020b01");
    auto t = wire::parse_request(wire::encode(wire::transmit_request{apdu}));
    REQUIRE(t.ok());
    CHECK(std::get<wire::transmit_request>(*t).apdu == apdu);
    CHECK(to_hex(wire::encode(wire::close_request{})) == "43");
    CHECK(std::holds_alternative<wire::close_request>(*wire::parse_request(h("43"))));

    for (const auto& bad :
         {h(""), h("54"), h("5400a402"), h("4300"), h("58"), bytes(1 + wire::max_apdu + 1, 0x54)}) {
        CAPTURE(to_hex(bad));
        auto r = wire::parse_request(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == "card.io_process_garbled");
    }
    CHECK(wire::parse_request(bytes(1 + wire::max_apdu, 0x54)).ok());
}

TEST_CASE("card I/O requests: open names a reader of 1 to 255 printable bytes") {
    const std::string name = "Virtual PCD 00 01";
    const bytes encoded = wire::encode(wire::open_request{name});
    CHECK(encoded.front() == 'R');
    auto o = wire::parse_request(encoded);
    REQUIRE(o.ok());
    CHECK(std::get<wire::open_request>(*o).reader == name);
    CHECK(wire::parse_request(wire::encode(wire::open_request{std::string(255, 'r')})).ok());

    bytes with_newline = wire::encode(wire::open_request{"Virtual PCD"});
    with_newline[4] = '\n';
    bytes with_del = wire::encode(wire::open_request{"Virtual PCD"});
    with_del.back() = 0x7f;
    for (const auto& bad : {h("52"), wire::encode(wire::open_request{std::string(256, 'r')}),
                            with_newline, with_del}) {
        CAPTURE(to_hex(bad));
        auto r = wire::parse_request(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == "card.io_process_garbled");
    }
}

TEST_CASE("card I/O replies: each kind round-trips") {
    auto o = wire::parse_reply(wire::encode(wire::opened{.t0 = true}));
    REQUIRE(o.ok());
    CHECK(std::get<wire::opened>(*o).t0);
    CHECK_FALSE(std::get<wire::opened>(*wire::parse_reply(h("4f01"))).t0);

    auto a = wire::parse_reply(wire::encode(wire::answer{h("deadbeef9000")}));
    REQUIRE(a.ok());
    CHECK(std::get<wire::answer>(*a).apdu == h("deadbeef9000"));
    CHECK(std::get<wire::answer>(*wire::parse_reply(h("41"))).apdu.empty());  // vpcd's empty

    const error e = make_error("card.removed", "card removed too early: insert it again");
    auto f = wire::parse_reply(wire::encode(wire::failed{e}));
    REQUIRE(f.ok());
    CHECK(std::get<wire::failed>(*f).problem == e);

    CHECK(std::holds_alternative<wire::closed>(*wire::parse_reply(h("44"))));
}

TEST_CASE("card I/O replies: an error that cannot travel as it is is made to fit") {
    auto f = wire::parse_reply(
        wire::encode(wire::failed{make_error("Not A Code", "line one\nline two")}));
    REQUIRE(f.ok());
    CHECK(std::get<wire::failed>(*f).problem.code == "card.pcsc_error");
    CHECK(std::get<wire::failed>(*f).problem.message == "line one line two");
    auto empty = wire::parse_reply(wire::encode(wire::failed{make_error("card.removed", "")}));
    REQUIRE(empty.ok());
    CHECK(std::get<wire::failed>(*empty).problem.message == "no message");
}

TEST_CASE("card I/O replies: every malformed reply has its reason") {
    CHECK(garbled_reason(wire::parse_reply({})).find("empty reply") != std::string::npos);
    CHECK(garbled_reason(wire::parse_reply(h("4f"))).find("open reply") != std::string::npos);
    CHECK(garbled_reason(wire::parse_reply(h("4f02"))).find("open reply") != std::string::npos);
    CHECK(garbled_reason(wire::parse_reply(h("4f0100"))).find("open reply") != std::string::npos);
    CHECK(
        garbled_reason(wire::parse_reply(bytes(2 + wire::max_answer, 0x41))).find("an answer of") !=
        std::string::npos);
    CHECK(wire::parse_reply(bytes(1 + wire::max_answer, 0x41)).ok());
    using namespace std::string_literals;
    const auto text = [](const std::string& s) { return bytes(s.begin(), s.end()); };
    CHECK(garbled_reason(wire::parse_reply(text("Ecard.removed"))).find("without its message") !=
          std::string::npos);
    for (const auto& bad_code : {"Ecard.Removed\0x"s, "Eledger.x\0x"s, "Ecard\0x"s}) {
        CAPTURE(bad_code);
        CHECK(garbled_reason(wire::parse_reply(text(bad_code))).find("malformed code") !=
              std::string::npos);
    }
    for (const auto& bad_message :
         {"Ecard.removed\0"s, "Ecard.removed\0\n"s, "Ecard.removed\0"s + std::string(1025, 'x')}) {
        CHECK(garbled_reason(wire::parse_reply(text(bad_message))).find("malformed message") !=
              std::string::npos);
    }
    CHECK(wire::parse_reply(text("Ecard.removed\0"s + std::string(1024, 'x'))).ok());
    CHECK(garbled_reason(wire::parse_reply(h("4400"))).find("trailing") != std::string::npos);
    CHECK(garbled_reason(wire::parse_reply(h("5a"))).find("unknown reply kind") !=
          std::string::npos);
}
