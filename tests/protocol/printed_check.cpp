#include "tests/protocol/printed_check.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "tests/protocol/export_fixture.h"

namespace ballotbox::test_support {
namespace fs = std::filesystem;

std::string pdf_text(const fs::path& pdf) {
    std::string out;
    REQUIRE(run_command("pdftotext -layout '" + pdf.string() + "' -", out) == 0);
    return out;
}

int pdf_pages(const fs::path& pdf) {
    std::string out;
    REQUIRE(run_command("pdfinfo '" + pdf.string() + "'", out) == 0);
    auto at = out.find("Pages:");
    REQUIRE(at != std::string::npos);
    return std::stoi(out.substr(at + 6));
}

std::vector<std::vector<std::string>> pdf_qr_codes(const fs::path& pdf, const fs::path& work_dir) {
    fs::create_directories(work_dir);
    std::string out;
    REQUIRE_MESSAGE(run_command("pdftoppm -r 300 -gray -png '" + pdf.string() + "' '" +
                                    (work_dir / "page").string() + "'",
                                out) == 0,
                    out);
    std::vector<fs::path> pages;
    for (const auto& e : fs::directory_iterator(work_dir))
        if (e.path().extension() == ".png")
            pages.push_back(e.path());
    std::sort(pages.begin(), pages.end());
    std::vector<std::vector<std::string>> codes;
    for (const auto& page : pages) {
        // zbarimg's stderr carries D-Bus noise on machines without a system bus: keep it out.
        run_command("{ zbarimg --quiet --raw -Sdisable -Sqrcode.enable '" + page.string() +
                        "' 2>/dev/null; }",
                    out);
        std::vector<std::string> texts;
        std::istringstream in(out);
        std::string line;
        while (std::getline(in, line))
            if (!line.empty())
                texts.push_back(line);
        std::sort(texts.begin(), texts.end());
        codes.push_back(texts);
    }
    return codes;
}

}  // namespace ballotbox::test_support
