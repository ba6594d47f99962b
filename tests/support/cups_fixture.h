// cups_fixture: runs this machine's real CUPS scheduler (Debian cups) as a child process of
// the test, with its own configuration, spool, state and log folders in a fresh temporary
// folder and listening only on a local socket there, plus one cups-pdf queue
// (printer-driver-cups-pdf) whose output goes to a folder of the fixture.
//
// start() writes cupsd.conf / cups-files.conf, runs `cupsd -f -c ... -s ...` (ended with
// SIGTERM should the test process die), waits until the scheduler answers, adds the queue
// with lpadmin (-v cups-pdf:/<queue> with Debian's CUPS-PDF_opt.ppd) and points this process's
// CUPS clients at the socket (CUPS_SERVER). cups-pdf reads its settings only from /etc/cups,
// choosing cups-pdf-<name>.conf by the device URI cups-pdf:/<name>: the fixture writes
// /etc/cups/cups-pdf-<queue>.conf (a name unique to the fixture's process) sending output,
// spool and log into its temporary folder, and removes it again. If cupsd or lpadmin fails, start()
// fails with the reason and the end of the scheduler's log: it never skips.
//
// Needs root (cupsd and the cups-pdf backend run as root). Tests using it run under the
// CTest RESOURCE_LOCK "cups". Thread safety: one owner thread; not copyable.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace ballotbox::test_support {

class cups_fixture {
  public:
    static result<std::unique_ptr<cups_fixture>> start();
    ~cups_fixture();
    cups_fixture(const cups_fixture&) = delete;
    cups_fixture& operator=(const cups_fixture&) = delete;

    const std::string& queue() const { return queue_; }
    const std::filesystem::path& socket() const { return socket_; }
    const std::filesystem::path& output_dir() const { return out_; }
    std::string log_tail(std::size_t max_bytes = 4000) const;
    // The scheduler's page_log (one line per job: queue user job time total pages copies ...).
    std::string page_log() const;

    // The PDFs cups-pdf has written so far, sorted by name.
    std::vector<std::filesystem::path> printed_files() const;
    // Waits (bounded number of polls) until at least n PDFs are complete in output_dir.
    // Errors: "test.cups_no_output" with the scheduler's log.
    result<std::vector<std::filesystem::path>> wait_for_printed(std::size_t n) const;

  private:
    cups_fixture() = default;
    status launch();

    std::filesystem::path dir_, socket_, out_, pdf_conf_;
    std::string queue_;
    pid_t pid_ = 0;
};

}  // namespace ballotbox::test_support
