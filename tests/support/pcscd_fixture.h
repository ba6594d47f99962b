// pcscd_fixture: runs this machine's real pcscd (Debian's, with the vsmartcard vpcd driver
// from /etc/reader.conf.d/vpcd) as a child process of the test, for tests that go through
// real PC/SC.
//
// start() refuses, with a message saying so, when another pcscd is already serving
// /run/pcscd/pcscd.comm (Debian 12's pcscd cannot be moved to another socket): it never
// skips and never touches a pcscd it did not start. It then runs `pcscd --foreground
// --debug --apdu` (ended with SIGTERM should the test process die) with its output in a log file in
// a fresh temporary folder and waits until a PC/SC client can establish a context and sees both
// vpcd readers ("Virtual PCD 00 00" on TCP port 35963, "Virtual PCD 00 01" on 35964); if pcscd
// exits or is not ready in time, start() fails with the end of that log. The destructor stops pcscd
// (SIGTERM, SIGKILL after a grace period), reaps it and removes the temporary folder (kept when the
// environment has BALLOTBOX_KEEP_PCSCD_LOG set).
//
// Tests using it live in tests/pcsc/ (CTest RESOURCE_LOCK pcscd) and, on a shared machine,
// are run under `flock /tmp/ballotbox-pcscd.lock`.
//
// Thread safety: one owner thread; not copyable or movable. pcscd is tied to the thread
// that started it (PR_SET_PDEATHSIG): start and restart it from a thread that outlives it,
// e.g. the test's main thread.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"

namespace ballotbox::test_support {

class pcscd_fixture {
  public:
    static result<std::unique_ptr<pcscd_fixture>> start();
    ~pcscd_fixture();
    pcscd_fixture(const pcscd_fixture&) = delete;
    pcscd_fixture& operator=(const pcscd_fixture&) = delete;

    enum class stop_mode { graceful, kill };  // SIGTERM (then SIGKILL), or SIGKILL at once

    // Stops pcscd and starts a new one, ready as after start(). pid() changes.
    status restart(stop_mode how = stop_mode::graceful);
    // Stops pcscd (PC/SC clients then get SCARD_E_NO_SERVICE); start_again() brings it back.
    void stop(stop_mode how = stop_mode::graceful);
    status start_again();

    pid_t pid() const { return pid_; }  // 0 while stopped
    const std::filesystem::path& log_path() const { return log_; }
    std::string log_tail(std::size_t max_bytes = 6000) const;

    // "Virtual PCD 00 00" for reader 0 (vpcd port 35963), "Virtual PCD 00 01" for reader 1.
    static std::string reader_name(int index);

  private:
    pcscd_fixture() = default;
    status launch();
    status wait_ready();

    std::filesystem::path dir_;
    std::filesystem::path log_;
    pid_t pid_ = 0;
};

}  // namespace ballotbox::test_support
