#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "protocol/print/cups_printer.h"
#include "protocol/qr_payload.h"
#include "protocol/render/pdf_protocol.h"
#include "protocol/verify_protocol.h"
#include "tests/protocol/export_fixture.h"
#include "tests/protocol/printed_check.h"
#include "tests/support/cups_fixture.h"

using namespace ballotbox;
using namespace ballotbox::protocol;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<test_support::cups_fixture> start_cups() {
    auto cups = test_support::cups_fixture::start();
    REQUIRE_MESSAGE(cups.ok(), (cups.ok() ? "" : cups.err().code + ": " + cups.err().message));
    return std::move(cups).value();
}

fs::path rendered(test_support::exported_day& day) {
    auto pdf = day.dir / "protocol.pdf";
    REQUIRE(render::write_protocol_pdf(pdf, day.signed_result, day.package, day.package.closes_at)
                .ok());
    return pdf;
}

}  // namespace

TEST_CASE(
    "the protocol printed in 2 copies on a real CUPS cups-pdf queue reads back with figures, "
    "labels and codes") {
    auto cups = start_cups();
    test_support::exported_day day;
    print::print_request req;
    req.pdf = rendered(day);
    req.printer = cups->queue();
    req.copies = 2;
    auto outcome = print::print_pdf(req);
    REQUIRE_MESSAGE(outcome.ok(),
                    (outcome.ok() ? "" : outcome.err().message + "\n" + cups->log_tail()));
    CHECK(outcome->printed);
    CHECK(outcome->job_id > 0);
    CHECK(outcome->message.find("2 copies printed") != std::string::npos);

    auto printed = cups->wait_for_printed(1);
    if (const char* keep = std::getenv("BALLOTBOX_KEEP_PDF"))
        if (printed.ok() && !printed->empty())
            fs::copy_file(printed->front(), keep, fs::copy_options::overwrite_existing);
    REQUIRE_MESSAGE(printed.ok(), (printed.ok() ? "" : printed.err().message));
    REQUIRE(printed->size() == 1);  // cups-pdf writes one file holding every copy
    const auto& out = printed->front();
    int pages = test_support::pdf_pages(out);
    int original = test_support::pdf_pages(req.pdf);
    // cups-pdf makes one PDF per job whatever the copies; CUPS's page log records them.
    CHECK(pages == original);
    auto log = cups->page_log();
    auto job_line = log.find(cups->queue() + " root " + std::to_string(outcome->job_id) + " ");
    REQUIRE_MESSAGE(job_line != std::string::npos, log);
    CHECK_MESSAGE(
        log.find("] total " + std::to_string(2 * original) + " ", job_line) != std::string::npos,
        log);
    // cups-pdf goes through PostScript and Ghostscript, which keeps the glyphs but drops the
    // Unicode map of the Cyrillic subset fonts: pdftotext reads the Latin text and the
    // figures of the printed file; the Kazakh and Russian words are read from the job's PDF.
    auto text = test_support::pdf_text(out);
    CHECK(text.find("TRAINING") != std::string::npos);
    CHECK(text.find(short_digest(day.signed_result.json)) != std::string::npos);
    CHECK(text.find("2023-03-19T20:00:00+06:00") != std::string::npos);
    auto submitted = test_support::pdf_text(req.pdf);
    CHECK(submitted.find("Протокол участковой избирательной комиссии") != std::string::npos);
    CHECK(submitted.find("Учаскелік сайлау комиссиясының") != std::string::npos);
    CHECK(submitted.find("Барлығына қарсы / Против всех") != std::string::npos);
    auto codes = test_support::pdf_qr_codes(out, day.dir / "printed-images");
    REQUIRE(static_cast<int>(codes.size()) == pages);
    for (const auto& page : codes) {
        auto v = verify_qr(page, day.key);
        REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : v.err().message));
        CHECK(v->document.ballots[0].issued_station == 12);
    }
}

TEST_CASE(
    "a job on a disabled queue that never prints is reported as stuck after the bounded time") {
    auto cups = start_cups();
    std::string out;
    REQUIRE(test_support::run_command(
                "cupsdisable -h '" + cups->socket().string() + "' " + cups->queue(), out) == 0);
    test_support::exported_day day;
    manual_clock clock(time_point(std::chrono::seconds(1700000000)));
    print::print_request req;
    req.pdf = rendered(day);
    req.printer = cups->queue();
    req.clock = &clock;
    req.timeout = std::chrono::seconds(30);
    int polls = 0;
    req.wait = [&](std::chrono::milliseconds d) {
        ++polls;
        clock.advance(d);
    };
    auto r = print::print_pdf(req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "print.job_stuck");
    CHECK(polls == 120);  // 30 s in 250 ms steps on the manual clock
    CHECK(cups->printed_files().empty());
}

TEST_CASE(
    "an unknown printer is refused at submission, and with no printer the PDF is saved the PDF and "
    "says where") {
    auto cups = start_cups();
    test_support::exported_day day;
    print::print_request req;
    req.pdf = rendered(day);
    req.printer = "no-such-printer";
    auto r = print::print_pdf(req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "print.submit_failed");

    req.printer.clear();
    req.save_dir = day.dir / "state";
    auto saved = print::print_pdf(req);
    REQUIRE(saved.ok());
    CHECK_FALSE(saved->printed);
    CHECK(saved->saved_to == day.dir / "state" / "protocol.pdf");
    CHECK(fs::file_size(saved->saved_to) == fs::file_size(req.pdf));
    CHECK(saved->message.find(saved->saved_to.string()) != std::string::npos);
    req.copies = 0;
    CHECK(print::print_pdf(req).err().code == "print.bad_request");
}
