// The portable ballot box through two running ballotboxd and the `ballotbox` CLI
// (docs/portable-box.md): the station's kit, the portable box set up from it, its key
// registered, the close refused until the import, the import of its closed ledger file, the
// second import refused, and the station's status and ledger copy afterwards. The voters
// themselves are in tests/appliance/portable_test.cpp (in process, with cards).
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/daemon/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace ballotbox::test_daemon;
namespace fs = std::filesystem;

TEST_CASE("ballotbox portable-kit, setup --portable-kit, register-portable, import-portable") {
    ballotbox::test_support::temp_dir dir("ballotbox-cli-portable");
    fs::create_directories(dir / "station");
    fs::create_directories(dir / "portable");
    fs::create_directories(dir / "usb");
    const std::string no_reader = "--table-reader=no reader is called this (ballotbox tests)";
    daemon_process station(dir / "station", {no_reader});
    daemon_process portable(dir / "portable", {no_reader});
    const std::string cli = "'" + cli_binary() + "' ";
    const std::string at_station = cli + "--socket '" + station.socket().string() + "' ";
    const std::string at_portable = cli + "--socket '" + portable.socket().string() + "' ";
    const std::string out = " >'" + (dir / "out.txt").string() + "' 2>&1";
    const std::string package = " --package '" + training_package_path() + "'";
    const fs::path kit = dir / "usb" / "portable-kit.json";
    const fs::path key = dir / "usb" / "portable.pub.pem";

    CHECK(run_shell(at_station + "portable-kit --to '" + (dir / "usb").string() + "'" + out) == 1);
    REQUIRE(run_shell(at_station + "setup" + package + out) == 0);
    CHECK(run_shell(at_station + "portable-kit" + out) == 2);
    REQUIRE(run_shell(at_station + "portable-kit --to '" + (dir / "usb").string() + "'" + out) ==
            0);
    REQUIRE(fs::exists(kit));
    CHECK((fs::status(kit).permissions() & fs::perms::group_read) == fs::perms::none);

    REQUIRE(run_shell(at_portable + "setup" + package + " --portable-kit '" + kit.string() +
                      "' --key-to '" + key.string() + "'" + out) == 0);
    REQUIRE(read_text(key).find("BEGIN PUBLIC KEY") != std::string::npos);
    CHECK(run_shell(at_portable + "portable-kit --to '" + (dir / "usb").string() + "'" + out) == 1);
    CHECK(read_text(dir / "out.txt").find("appliance.portable_role") != std::string::npos);

    CHECK(run_shell(at_station + "register-portable --key '" + kit.string() + "'" + out) == 1);
    CHECK(read_text(dir / "out.txt").find("appliance.bad_portable_key") != std::string::npos);
    REQUIRE(run_shell(at_station + "register-portable --key '" + key.string() + "'" + out) == 0);
    CHECK(run_shell(at_station + "register-portable --key '" + key.string() + "'" + out) == 1);

    for (const auto* who : {&at_station, &at_portable})
        REQUIRE(run_shell("echo " + std::string(training_secret) + " | " + *who + "open" + out) ==
                0);
    CHECK(run_shell(at_station + "close" + out) == 1);
    CHECK(read_text(dir / "out.txt").find("appliance.portable_not_imported") != std::string::npos);

    // The members bring the box back: closed at once (the portable role), its ledger copied.
    REQUIRE(run_shell(at_portable + "close" + out) == 0);
    const fs::path carried = dir / "usb" / "portable-ledger.sqlite";
    fs::copy_file(dir / "portable" / "state" / "ledger.sqlite", carried);

    CHECK(run_shell(at_station + "import-portable '" + (dir / "missing.sqlite").string() + "'" +
                    out) == 2);
    CHECK(run_shell(at_station + "import-portable '" + kit.string() + "'" + out) == 1);
    CHECK(read_text(dir / "out.txt").find("portable.ledger_invalid") != std::string::npos);
    REQUIRE(run_shell(at_station + "import-portable '" + carried.string() + "'" + out) == 0);
    CHECK(read_text(dir / "out.txt").find("imported portable box") != std::string::npos);
    CHECK(run_shell(at_station + "import-portable '" + carried.string() + "'" + out) == 1);
    CHECK(read_text(dir / "out.txt").find("appliance.portable_already_imported") !=
          std::string::npos);
    CHECK(run_shell(at_station + "portable-not-used" + out) == 1);

    REQUIRE(run_shell(at_station + "--json status >'" + (dir / "status.json").string() + "'") == 0);
    const auto status = read_text(dir / "status.json");
    CHECK(status.find("\"role\":\"station\"") != std::string::npos);
    CHECK(status.find("\"imported\":true") != std::string::npos);
    // The imported ledger is kept for the auditors, under the box's key.
    std::size_t kept = 0;
    for (const auto& e : fs::directory_iterator(dir / "station" / "state" / "portable"))
        kept += e.path().extension() == ".sqlite" &&
                e.path().filename().string().rfind("incoming-", 0) != 0;
    CHECK(kept == 1);
    CHECK(run_shell(at_station + "close --voters-added -1" + out) == 2);
    CHECK(run_shell(at_station + "close --voters-added 2" + out) == 0);
    station.stop();  // the ledger's last connection closes: the log is written back
    CHECK(read_text(dir / "station" / "state" / "ledger.sqlite").find("\"voters_added\":2") !=
          std::string::npos);
}

}  // namespace
