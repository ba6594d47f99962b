#include "protocol/print/cups_printer.h"

#include <cups/cups.h>

#include <fstream>
#include <thread>

namespace ballotbox::protocol::print {
namespace {

const char* state_name(ipp_jstate_t s) {
    switch (s) {
        case IPP_JSTATE_PENDING:
            return "pending";
        case IPP_JSTATE_HELD:
            return "held";
        case IPP_JSTATE_PROCESSING:
            return "processing";
        case IPP_JSTATE_STOPPED:
            return "stopped";
        case IPP_JSTATE_CANCELED:
            return "canceled";
        case IPP_JSTATE_ABORTED:
            return "aborted";
        case IPP_JSTATE_COMPLETED:
            return "completed";
    }
    return "unknown";
}

// The job's state, or nullopt if CUPS does not list it.
std::optional<ipp_jstate_t> job_state(const std::string& printer, int job_id) {
    cups_job_t* jobs = nullptr;
    int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, printer.c_str(), 0, CUPS_WHICHJOBS_ALL);
    std::optional<ipp_jstate_t> state;
    for (int i = 0; i < n; ++i)
        if (jobs[i].id == job_id)
            state = jobs[i].state;
    cupsFreeJobs(n, jobs);
    return state;
}

result<print_outcome> save_instead(const print_request& r) {
    std::error_code ec;
    std::filesystem::create_directories(r.save_dir, ec);
    auto target = r.save_dir / r.pdf.filename();
    if (!ec && std::filesystem::absolute(r.pdf, ec) != std::filesystem::absolute(target, ec))
        std::filesystem::copy_file(r.pdf, target, std::filesystem::copy_options::overwrite_existing,
                                   ec);
    if (ec)
        return make_error("print.save_failed",
                          "No printer is configured, and the PDF could not be saved in " +
                              r.save_dir.string() + ": " + ec.message());
    print_outcome o;
    o.saved_to = target;
    o.message = "No printer is configured: the protocol was saved as " + target.string() + ".";
    return o;
}

}  // namespace

result<print_outcome> print_pdf(const print_request& r) {
    if (r.copies < 1 || r.copies > 20)
        return make_error("print.bad_request", "The number of copies must be from 1 to 20.");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(r.pdf, ec))
        return make_error("print.bad_request", "There is no PDF at " + r.pdf.string() + ".");
    if (r.printer.empty())
        return save_instead(r);

    // Read the server from the environment again (libcups caches it per thread), so a CUPS
    // restarted elsewhere or a changed CUPS_SERVER is honoured at every print.
    cupsSetServer(nullptr);
    cups_option_t* options = nullptr;
    int n = cupsAddOption("copies", std::to_string(r.copies).c_str(), 0, &options);
    int job = cupsPrintFile2(CUPS_HTTP_DEFAULT, r.printer.c_str(), r.pdf.c_str(), r.title.c_str(),
                             n, options);
    cupsFreeOptions(n, options);
    if (job == 0)
        return make_error("print.submit_failed",
                          "The printer \"" + r.printer +
                              "\" did not accept the job: " + std::string(cupsLastErrorString()) +
                              ". Check that it is on and connected.");
    system_clock_source system_clock;
    const clock_source& clock = r.clock ? *r.clock : system_clock;
    auto deadline = clock.now() + std::chrono::duration_cast<std::chrono::microseconds>(r.timeout);
    auto wait =
        r.wait ? r.wait : [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    std::optional<ipp_jstate_t> last;
    for (;;) {
        last = job_state(r.printer, job);
        if (last == IPP_JSTATE_COMPLETED) {
            print_outcome o;
            o.printed = true;
            o.job_id = job;
            o.message = std::to_string(r.copies) + (r.copies == 1 ? " copy" : " copies") +
                        " printed on \"" + r.printer + "\" (job " + std::to_string(job) + ").";
            return o;
        }
        if (last == IPP_JSTATE_ABORTED || last == IPP_JSTATE_CANCELED || last == IPP_JSTATE_STOPPED)
            return make_error("print.job_failed",
                              "The print job " + std::to_string(job) + " on \"" + r.printer +
                                  "\" was " + state_name(*last) +
                                  ". Check the printer (paper, toner, cable) and print again.");
        if (clock.now() >= deadline) {
            cupsCancelJob2(CUPS_HTTP_DEFAULT, r.printer.c_str(), job, 0);
            return make_error("print.job_stuck",
                              "The print job " + std::to_string(job) + " on \"" + r.printer +
                                  "\" is still " + (last ? state_name(*last) : "not listed") +
                                  " after " + std::to_string(r.timeout.count()) +
                                  " s; it was cancelled. Check the printer and print again.");
        }
        wait(r.poll_interval);
    }
}

}  // namespace ballotbox::protocol::print
