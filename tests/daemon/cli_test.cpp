// The `ballotbox` CLI's exit codes against a running ballotboxd: 0 done, 1 refused,
// 2 bad usage, 3 unreachable.
#include <doctest/doctest.h>

#include "tests/daemon/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace ballotbox::test_daemon;

TEST_CASE("ballotbox CLI: exit codes for done, refused, bad usage and unreachable") {
    ballotbox::test_support::temp_dir dir("ballotbox-cli");
    const std::string cli = "'" + cli_binary() + "' ";
    const std::string quiet = " >/dev/null 2>&1";

    CHECK(run_shell(cli + "--socket '" + (dir / "none.sock").string() + "' status" + quiet) == 3);
    CHECK(run_shell(cli + "frobnicate" + quiet) == 2);
    CHECK(run_shell(cli + quiet) == 2);
    CHECK(run_shell(cli + "status --no-such-option" + quiet) == 2);
    CHECK(run_shell(cli + "--help" + quiet) == 0);
    CHECK(run_shell(cli + "watch --help" + quiet) == 0);

    daemon_process daemon(dir.path(),
                          {"--table-reader=no reader is called this (ballotbox tests)"});
    const std::string with = cli + "--socket '" + daemon.socket().string() + "' ";
    CHECK(run_shell(with + "status" + quiet) == 0);
    CHECK(run_shell(with + "setup" + quiet) == 2);
    CHECK(run_shell(with + "setup --package '" + (dir / "missing.json").string() + "'" + quiet) ==
          2);
    CHECK(run_shell("echo " + std::string(training_secret) + " | " + with + "open" + quiet) == 1);
    CHECK(run_shell(with + "setup --package '" + training_package_path() + "'" + quiet) == 0);
    CHECK(run_shell(with + "setup --package '" + training_package_path() + "'" + quiet) == 1);
    CHECK(run_shell("echo wrong | " + with + "open" + quiet) == 1);
    std::ofstream(dir / "secret") << training_secret << "\n";
    CHECK(run_shell(with + "open --secret-file '" + (dir / "secret").string() + "'" + quiet) == 0);
    CHECK(run_shell(with + "style no-such-style" + quiet) == 1);
    CHECK(run_shell(with + "style party-list-only" + quiet) == 0);
    CHECK(run_shell(with + "cancel" + quiet) == 1);
    CHECK(run_shell(with + "--json status >'" + (dir / "status.json").string() + "'") == 0);
    CHECK(read_text(dir / "status.json").find("\"next_style\":\"party-list-only\"") !=
          std::string::npos);
    daemon.stop();
    CHECK(run_shell(with + "status" + quiet) == 3);
}

}  // namespace
