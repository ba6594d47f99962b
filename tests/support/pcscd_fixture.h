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
// start_with_readers(n) (n even, 2 to 16) instead writes a private reader.conf.d into that
// folder with n/2 vpcd devices (two readers each, on TCP ports 35963 upwards) and runs pcscd
// with `-c` on it (each device with its own copy of the vpcd driver file: vpcd keeps its
// connections in a global array indexed by slot, so devices sharing one loaded driver would
// share their slots); it waits until all n readers are listed (names: reader_name(index)).
//
// Tests using it live in tests/pcsc/ (CTest RESOURCE_LOCK pcscd) and, on a shared machine,
// are run under `flock /tmp/ballotbox-pcscd.lock`.
//
// Thread safety: one owner thread; not copyable or movable. pcscd is tied to the thread
// that started it (PR_SET_PDEATHSIG): start and restart it from a thread that outlives it,
// e.g. the test's main thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"

namespace ballotbox::test_support {

class pcscd_fixture {
  public:
    static result<std::unique_ptr<pcscd_fixture>> start();
    // With `readers` vpcd readers (even, 2..16) from a private reader.conf.d (pcscd -c).
    // Errors: test.pcscd_bad_reader_count, and start()'s.
    static result<std::unique_ptr<pcscd_fixture>> start_with_readers(int readers);
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

    // "Virtual PCD 00 00" for reader 0 (vpcd port 35963), "Virtual PCD 00 01" for reader 1;
    // with start_with_readers, readers 2k and 2k+1 (k >= 1) are "Virtual PCD lane k 00 00"
    // and "... 00 01" (pcscd names every device's slots 00 00 and 00 01, so each device has
    // its own friendly name). Reader i listens on vpcd port reader_port(i) = 35963 + i.
    static std::string reader_name(int index);
    static std::uint16_t reader_port(int index);

  private:
    pcscd_fixture() = default;
    status launch();
    status wait_ready();

    std::filesystem::path dir_;
    std::filesystem::path config_dir_;  // the private reader.conf.d; empty: the system's
    int readers_ = 2;
    std::filesystem::path log_;
    pid_t pid_ = 0;
};

}  // namespace ballotbox::test_support
