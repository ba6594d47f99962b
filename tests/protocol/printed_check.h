// printed_check: reads a printed protocol back as a person would: pdftotext for the words
// and figures, pdftoppm + zbarimg for every QR code on every page.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ballotbox::test_support {

std::string pdf_text(const std::filesystem::path& pdf);
int pdf_pages(const std::filesystem::path& pdf);
// The QR texts zbarimg decodes from each page image (300 dpi), one vector per page.
std::vector<std::vector<std::string>> pdf_qr_codes(const std::filesystem::path& pdf,
                                                   const std::filesystem::path& work_dir);

}  // namespace ballotbox::test_support
