// systemd/: `systemd-analyze verify` passes without a single warning on every unit, and the
// sysusers file creates the daemon's user and the operators' group.
//
// verify checks that ExecStart's binary exists and is executable. The unit names the
// installed path (/usr/sbin/ballotboxd), which a build machine does not have, so the test
// verifies a copy of each unit whose ExecStart points at the ballotboxd just built (the only
// change; the rest of the unit is verified as shipped).
#include <doctest/doctest.h>

#include <regex>

#include "tests/daemon/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace ballotbox::test_daemon;
namespace fs = std::filesystem;

std::string verify_output(const fs::path& unit) {
    const fs::path out = unit.parent_path() / "verify.out";
    const int rc =
        run_shell("systemd-analyze verify '" + unit.string() + "' >'" + out.string() + "' 2>&1");
    std::string text = read_text(out);
    if (rc != 0)
        text += "\n(exit status " + std::to_string(rc) + ")";
    return text;
}

fs::path copy_with_built_binary(const fs::path& unit, const fs::path& dir) {
    const std::string text = read_text(unit);
    const std::string rewritten = std::regex_replace(
        text, std::regex("^ExecStart=/usr/sbin/ballotboxd", std::regex::multiline),
        "ExecStart=" + daemon_binary());
    REQUIRE(rewritten != text);
    const fs::path out = dir / unit.filename();
    std::ofstream(out) << rewritten;
    return out;
}

std::vector<fs::path> units() {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(source_file("systemd")))
        if (entry.path().extension() == ".service" || entry.path().extension() == ".socket")
            out.push_back(entry.path());
    return out;
}

TEST_CASE("systemd-analyze verify: every unit, no warnings") {
    ballotbox::test_support::temp_dir dir("ballotbox-units");
    const auto all = units();
    REQUIRE_FALSE(all.empty());
    for (const auto& unit : all) {
        CAPTURE(unit);
        CHECK(verify_output(copy_with_built_binary(unit, dir.path())) == "");
    }
}

TEST_CASE("verify is not blind: a broken copy of the unit gets a warning") {
    ballotbox::test_support::temp_dir dir("ballotbox-units");
    const auto unit = copy_with_built_binary(source_file("systemd/ballotboxd.service"), dir.path());
    std::string text = read_text(unit);
    text = std::regex_replace(text, std::regex("WatchdogSec=30s"), "WatchdogSec=thirty");
    std::ofstream(unit) << text;
    CHECK(verify_output(unit).find("thirty") != std::string::npos);
}

TEST_CASE("the unit carries the required hardening") {
    const std::string unit = read_text(source_file("systemd/ballotboxd.service"));
    for (const char* line :
         {"Type=notify", "WatchdogSec=", "User=ballotbox", "DynamicUser=no",
          "StateDirectory=ballotbox", "StateDirectoryMode=0700", "RuntimeDirectory=ballotbox",
          "After=pcscd.socket", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
          "PrivateTmp=yes", "PrivateNetwork=yes", "CapabilityBoundingSet=\n",
          "SystemCallFilter=@system-service", "UMask=0077", "RestrictAddressFamilies=AF_UNIX\n"}) {
        CAPTURE(line);
        CHECK(unit.find(line) != std::string::npos);
    }
}

TEST_CASE("sysusers: the ballotbox user and the operators' group") {
    ballotbox::test_support::temp_dir root("ballotbox-sysusers");
    fs::create_directories(root / "usr/lib/sysusers.d");
    fs::create_directories(root / "etc");
    fs::copy_file(source_file("systemd/ballotbox.sysusers.conf"),
                  root / "usr/lib/sysusers.d/ballotbox.conf");
    REQUIRE(run_shell("systemd-sysusers --root='" + root.path().string() + "' >/dev/null 2>&1") ==
            0);
    CHECK(read_text(root / "etc/passwd").find("ballotbox:x:") == 0);
    CHECK(read_text(root / "etc/group").find("ballotbox-operators:x:") != std::string::npos);
}

}  // namespace
