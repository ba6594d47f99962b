// pdf_protocol: the printed report (zero, turnout or result) as an A4 PDF in Kazakh and
// Russian (English smaller), with cairo and pango; fonts are chosen by family name through
// fontconfig ("DejaVu Sans", falling back to "Noto Sans").
//
// Every page carries: TRAINING for a training package, the QR codes of the signed result
// (sp.qr_texts, level M, with their part numbers) and, under them, the short digest of
// protocol.json. The document shows the election, station, district, event and printing
// times (station zone), the figures per ballot with the numbers right-aligned in one
// column, the reconciliation checks in words (a failed one says so plainly), the ledger
// checkpoint (tree size, root in groups of 4 hex characters, key id), the box root, the
// appliance key fingerprint and the signature lines.
//
// render_protocol_pdf() writes the file atomically. Thread safety: independent calls are
// safe (each has its own cairo surface and pango context).
#pragma once

#include <filesystem>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "election/election_package.h"
#include "protocol/signed_protocol.h"

namespace ballotbox::protocol::render {

// The PDF bytes. Errors: "protocol.render_failed", "protocol.qr_too_large".
result<std::string> render_protocol_pdf(const signed_protocol& sp,
                                        const election::election_package& package,
                                        time_point printed_at);

// Renders and writes the PDF atomically (common/atomic_file.h). Errors: as above,
// "file.write_failed".
status write_protocol_pdf(const std::filesystem::path& path, const signed_protocol& sp,
                          const election::election_package& package, time_point printed_at);

// "3fa1 c2d4 ..." : hex in groups of 4 characters, for reading aloud.
std::string hex_groups(byte_view data);

}  // namespace ballotbox::protocol::render
