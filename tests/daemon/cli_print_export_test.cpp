// `ballotbox print protocol --copies N` and `ballotbox export --to DIR` against a running
// ballotboxd with no printer configured: the zero report saved as a PDF, the signed files
// written into a folder of the chair's and verified there, and bad usage and refusals that
// leave the folder as it was.
#include <doctest/doctest.h>

#include <filesystem>

#include "protocol/verify_protocol.h"
#include "tests/daemon/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace ballotbox::test_daemon;
namespace fs = std::filesystem;

std::size_t entries_in(const fs::path& dir) {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST_CASE("ballotbox print protocol and ballotbox export --to DIR") {
    ballotbox::test_support::temp_dir dir("ballotbox-cli-export");
    daemon_process daemon(dir.path(),
                          {"--table-reader=no reader is called this (ballotbox tests)"});
    const std::string cli = "'" + cli_binary() + "' --socket '" + daemon.socket().string() + "' ";
    const fs::path usb = dir / "usb";
    fs::create_directories(usb);
    const std::string out = " >'" + (dir / "out.txt").string() + "' 2>&1";

    // Bad usage: exit 2, nothing asked of the appliance.
    CHECK(run_shell(cli + "print" + out) == 2);
    CHECK(run_shell(cli + "print ballots" + out) == 2);
    CHECK(run_shell(cli + "print protocol --copies 0" + out) == 2);
    CHECK(run_shell(cli + "print protocol --copies 21" + out) == 2);
    CHECK(run_shell(cli + "export" + out) == 2);
    CHECK(run_shell(cli + "export --to '" + (dir / "no-such-folder").string() + "'" + out) == 2);
    CHECK(read_text(dir / "out.txt").find("not an existing folder") != std::string::npos);

    // Nothing to report before the opening: refused, the folder stays empty.
    CHECK(run_shell(cli + "print protocol" + out) == 1);
    CHECK(run_shell(cli + "export --to '" + usb.string() + "'" + out) == 1);
    CHECK(read_text(dir / "out.txt").find("daemon.no_report") != std::string::npos);
    CHECK(entries_in(usb) == 0);

    REQUIRE(run_shell(cli + "setup --package '" + training_package_path() + "'" + out) == 0);
    REQUIRE(run_shell("echo " + std::string(training_secret) + " | " + cli + "open" + out) == 0);

    REQUIRE(run_shell(cli + "print protocol --copies 3" + out) == 0);
    const auto printed = read_text(dir / "out.txt");
    INFO(printed);
    CHECK(printed.find("not printed (no printer is configured)") != std::string::npos);
    CHECK(printed.find("zero protocol is saved as") != std::string::npos);
    CHECK(printed.find(".pdf") != std::string::npos);

    REQUIRE(run_shell(cli + "export --to '" + usb.string() + "'" + out) == 0);
    const auto exported = read_text(dir / "out.txt");
    INFO(exported);
    CHECK(exported.find("written to " + usb.string()) != std::string::npos);
    for (const char* name : {"protocol.json", "protocol.json.sig", "appliance.pub.pem",
                             "checkpoint.txt", "protocol.nist.json"})
        CHECK_MESSAGE(fs::exists(usb / name), name);
    CHECK(entries_in(usb) == 5);  // no staging folder left behind
    auto verified = ballotbox::protocol::verify_export_dir(usb);
    REQUIRE_MESSAGE(verified.ok(), verified.err().message);
    CHECK(verified->document.kind == ballotbox::protocol::report_kind::zero);

    // A second export replaces the files whole.
    REQUIRE(run_shell(cli + "export --to '" + usb.string() + "'" + out) == 0);
    CHECK(entries_in(usb) == 5);
    CHECK(ballotbox::protocol::verify_export_dir(usb).ok());
}

}  // namespace
