// The print and export commands against a running ballotboxd with no printer configured: the
// zero report once open (saved as a PDF in the state directory), the signed export, and the
// copies argument checked strictly.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>
#include <filesystem>

#include "appliance/daemon/control_request.h"
#include "tests/daemon/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace ballotbox::test_daemon;
using ballotbox::test_support::temp_dir;

const std::string no_reader = "--table-reader=no reader is called this (ballotbox tests)";

TEST_CASE("print saves the zero report without a printer, export writes the signed files") {
    temp_dir dir("ballotbox-daemon");
    daemon_process daemon(dir.path(), {no_reader});
    auto c = daemon.client();
    CHECK(error_code(c.request({{"command", "print"}})) == "daemon.no_report");
    CHECK(error_code(c.request({{"command", "export"}})) == "daemon.no_report");
    REQUIRE(
        is_ok(c.request({{"command", "setup"}, {"package", read_text(training_package_path())}})));
    REQUIRE(is_ok(c.request({{"command", "open"}, {"secret", training_secret}})));

    auto printed = c.request({{"command", "print"}, {"copies", 2}});
    REQUIRE_MESSAGE(is_ok(printed), boost::json::serialize(printed));
    CHECK(printed.at("print").at("kind") == "zero");
    CHECK(printed.at("print").at("printed") == false);
    CHECK(printed.at("print").at("copies") == 2);
    const std::filesystem::path pdf(std::string(printed.at("print").at("pdf").as_string()));
    REQUIRE(std::filesystem::exists(pdf));
    CHECK(std::filesystem::file_size(pdf) > 1000);
    CHECK(read_text(pdf).rfind("%PDF-", 0) == 0);

    auto exported = c.request({{"command", "export"}});
    REQUIRE_MESSAGE(is_ok(exported), boost::json::serialize(exported));
    CHECK(exported.at("export").at("kind") == "zero");
    const std::filesystem::path out(std::string(exported.at("export").at("dir").as_string()));
    for (const char* name : {"protocol.json", "protocol.json.sig", "appliance.pub.pem",
                             "checkpoint.txt", "protocol.nist.json"})
        CHECK_MESSAGE(std::filesystem::exists(out / name), name);
    CHECK(read_text(out / "protocol.json").find("\"zero\"") != std::string::npos);
}

TEST_CASE("print takes copies from 1 to 20 and nothing else") {
    using ballotbox::daemon::parse_control_request;
    auto two = parse_control_request(R"({"command":"print","copies":2})");
    REQUIRE(two.ok());
    CHECK(two->copies == 2);
    CHECK(parse_control_request(R"({"command":"print"})")->copies == 1);
    for (const char* bad :
         {R"({"command":"print","copies":0})", R"({"command":"print","copies":21})",
          R"({"command":"print","copies":"2"})",
          R"({"command":"print","copies":18446744073709551615})"})
        CHECK_MESSAGE(parse_control_request(bad).err().code == "control.bad_argument", bad);
    CHECK(parse_control_request(R"({"command":"export","copies":1})").err().code ==
          "control.unknown_member");
}

}  // namespace
