// export_fixture: a closed reference day, its signed result and its export directory,
// shared by the export, verification and PDF tests.
#pragma once

#include <filesystem>

#include "protocol/signed_protocol.h"
#include "tests/protocol/scripted_days.h"
#include "tests/support/temp_dir.h"

namespace ballotbox::test_support {

struct exported_day {
    temp_dir dir;
    std::filesystem::path export_dir;
    election::election_package package;
    protocol::signed_protocol signed_result;
    crypto::ed25519_raw_public_key key{};
    exported_day();
};

// Runs a command line through /bin/sh; returns its exit status and fills `output` with its
// standard output and error.
int run_command(const std::string& command, std::string& output);

}  // namespace ballotbox::test_support
