// Several table readers, without PC/SC: ballotboxd's --table-reader given more than once, the
// cancel request's optional "reader", and the table_readers choice of readers and of the
// reader a cancel means (appliance/daemon/table_readers.h).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "appliance/daemon/control_request.h"
#include "appliance/daemon/daemon_options.h"
#include "appliance/daemon/table_readers.h"

namespace {

using namespace ballotbox;
using namespace ballotbox::daemon;

const std::string table_a = "Virtual PCD 00 00";
const std::string booth_a = "Virtual PCD 00 01";
const std::string table_b = "Virtual PCD lane 1 00 00";

}  // namespace

TEST_CASE("--table-reader may be given once per table member's reader") {
    auto none = parse_daemon_options({});
    REQUIRE(none.ok());
    CHECK(none->table_readers.empty());

    auto one = parse_daemon_options({"--table-reader", "PCD 00 00"});
    REQUIRE(one.ok());
    CHECK(one->table_readers == std::vector<std::string>{"PCD 00 00"});

    auto two = parse_daemon_options({"--table-reader=" + table_a, "--table-reader", table_b});
    REQUIRE(two.ok());
    CHECK(two->table_readers == std::vector<std::string>{table_a, table_b});
}

TEST_CASE("--table-reader refuses an empty name, an over-long one and more than 16") {
    auto empty = parse_daemon_options({"--table-reader="});
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.err().code == "daemon.bad_usage");
    CHECK(empty.err().message.find("--table-reader") != std::string::npos);

    auto long_name = parse_daemon_options({"--table-reader=" + std::string(129, 'x')});
    REQUIRE_FALSE(long_name.ok());
    CHECK(long_name.err().code == "daemon.bad_usage");

    std::vector<std::string> args;
    for (int i = 0; i < 17; ++i)
        args.push_back("--table-reader=reader " + std::to_string(i));
    auto too_many = parse_daemon_options(args);
    REQUIRE_FALSE(too_many.ok());
    CHECK(too_many.err().code == "daemon.bad_usage");
    CHECK(too_many.err().message.find("at most 16") != std::string::npos);
    args.pop_back();
    CHECK(parse_daemon_options(args).ok());
}

TEST_CASE("cancel takes an optional reader name, a non-empty string") {
    auto plain = parse_control_request(R"({"command":"cancel"})");
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->reader.has_value());

    auto named = parse_control_request(R"({"command":"cancel","reader":"Virtual PCD 00 00"})");
    REQUIRE(named.ok());
    REQUIRE(named->reader.has_value());
    CHECK(*named->reader == table_a);

    auto number = parse_control_request(R"({"command":"cancel","reader":3})");
    REQUIRE_FALSE(number.ok());
    CHECK(number.err().code == "control.bad_argument");

    auto empty = parse_control_request(R"({"command":"cancel","reader":""})");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.err().code == "control.bad_argument");

    auto too_long = parse_control_request(R"({"command":"cancel","reader":")" +
                                          std::string(max_reader_name_bytes + 1, 'r') + "\"}");
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.err().code == "control.bad_argument");

    // Only cancel takes it.
    auto status = parse_control_request(R"({"command":"status","reader":"x"})");
    REQUIRE_FALSE(status.ok());
    CHECK(status.err().code == "control.unknown_member");
}

TEST_CASE("without patterns the first reader reported is the one table reader") {
    table_readers readers({});
    CHECK(readers.reader_added(table_a));
    CHECK_FALSE(readers.reader_added(booth_a));
    CHECK(readers.all().size() == 1);
    CHECK(readers.reader_added(table_a));  // reported again: still the table's
    CHECK_FALSE(readers.reader_gone(booth_a));
    CHECK(readers.reader_gone(table_a));
    CHECK(readers.empty());
    CHECK(readers.reader_added(booth_a));  // unplugged: the next one reported is taken
    REQUIRE(readers.all().size() == 1);
    CHECK(readers.all().front().name == booth_a);
}

TEST_CASE("with patterns every matching reader is a table reader with its own card state") {
    table_readers readers({table_a, table_b});
    CHECK(readers.reader_added(table_a));
    CHECK_FALSE(readers.reader_added(booth_a));
    CHECK(readers.reader_added(table_b));
    CHECK_FALSE(readers.reader_added("Virtual PCD lane 1 00 01"));
    REQUIRE(readers.all().size() == 2);
    CHECK(readers.all()[0].name == table_a);
    CHECK(readers.all()[1].name == table_b);
    CHECK_FALSE(readers.any_card_present());
    REQUIRE(readers.find(table_b) != nullptr);
    readers.find(table_b)->card_present = true;
    CHECK(readers.any_card_present());
    CHECK_FALSE(readers.find(table_a)->card_present);
    CHECK(readers.find(booth_a) == nullptr);
    readers.clear();
    CHECK(readers.empty());
}

TEST_CASE("a cancel finds its reader, or says why not with its own code") {
    table_readers readers({table_a, table_b});
    readers.reader_added(table_a);
    readers.reader_added(table_b);

    auto nothing = readers.find_for_cancel(std::nullopt);
    REQUIRE_FALSE(nothing.ok());
    CHECK(nothing.err().code == "daemon.no_card");

    readers.find(table_b)->card_present = true;
    auto only = readers.find_for_cancel(std::nullopt);
    REQUIRE(only.ok());
    CHECK((*only)->name == table_b);

    readers.find(table_a)->card_present = true;
    auto which = readers.find_for_cancel(std::nullopt);
    REQUIRE_FALSE(which.ok());
    CHECK(which.err().code == "daemon.which_reader");
    CHECK(which.err().message.find("\"reader\"") != std::string::npos);

    auto exact = readers.find_for_cancel(table_a);
    REQUIRE(exact.ok());
    CHECK((*exact)->name == table_a);
    auto part = readers.find_for_cancel(std::string("lane 1"));
    REQUIRE(part.ok());
    CHECK((*part)->name == table_b);

    auto ambiguous = readers.find_for_cancel(std::string("Virtual PCD"));
    REQUIRE_FALSE(ambiguous.ok());
    CHECK(ambiguous.err().code == "daemon.ambiguous_reader");
    auto unknown = readers.find_for_cancel(booth_a);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.err().code == "daemon.unknown_reader");

    readers.find(table_a)->card_present = false;
    auto empty_named = readers.find_for_cancel(table_a);
    REQUIRE_FALSE(empty_named.ok());
    CHECK(empty_named.err().code == "daemon.no_card");
    CHECK(empty_named.err().message.find(table_a) != std::string::npos);
}
