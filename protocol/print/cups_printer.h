// cups_printer: prints a PDF through CUPS (libcups) to a named queue in N copies and waits
// for the job's outcome; with no printer configured, saves the PDF instead.
//
// print_pdf() submits the file with cupsPrintFile2 (option "copies"), then polls the job's
// state (cupsGetJobs2) until it is completed (success), or aborted / canceled / stopped
// (error "print.job_failed" with the state and CUPS's reason), or until `timeout` has
// passed on the clock seam (error "print.job_stuck"; the job is cancelled). Between polls it
// calls `wait` (real sleep by default; tests may pass one that advances a manual clock).
// The CUPS server comes from the environment as for any CUPS client (CUPS_SERVER, or the
// default local socket), read again at every call.
//
// Thread safety: libcups keeps per-thread state; call from one thread at a time per job.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace ballotbox::protocol::print {

struct print_request {
    std::filesystem::path pdf;
    std::string printer;  // CUPS queue name; empty = no printer configured
    int copies = 1;       // 1..20
    std::string title = "ballotbox protocol";
    std::filesystem::path save_dir;       // where the PDF goes when no printer is configured
    const clock_source* clock = nullptr;  // nullptr = the system clock
    std::chrono::seconds timeout{120};
    std::chrono::milliseconds poll_interval{250};
    std::function<void(std::chrono::milliseconds)> wait;  // empty = sleep
};

struct print_outcome {
    bool printed = false;            // false: saved instead
    int job_id = 0;                  // when printed
    std::filesystem::path saved_to;  // when saved
    std::string message;             // for the chair
};

// Errors: "print.bad_request" (copies out of range, no file), "print.submit_failed",
// "print.job_failed", "print.job_stuck", "print.save_failed".
result<print_outcome> print_pdf(const print_request& request);

}  // namespace ballotbox::protocol::print
