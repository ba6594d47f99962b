// Fuzz target for what `ballotbox audit` reads from outside (audit/, docs/audit.md). The first
// byte picks the input; the rest is it:
//   0  protocol.json (protocol::parse_protocol_json): anything accepted re-serializes to the
//      same bytes and compares equal to itself field by field (audit/document_diff.h)
//   1  QR texts, one per line (protocol::open_qr_texts)
//   2  box keys, 16 bytes each, for the box-order test (audit/box_order.h)
//   3  a ledger file: the whole audit runs on it against the example package; it must
//      answer (exit 1 or 2 with a failure named, or 0 with none) and never crash
// The properties abort() when they do not hold.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "audit/audit.h"
#include "audit/box_order.h"
#include "audit/document_diff.h"
#include "protocol/protocol_document.h"
#include "protocol/qr_payload.h"

namespace {

using namespace ballotbox;

void check(bool condition) {
    if (!condition)
        std::abort();
}

void protocol_json(std::string_view text) {
    auto doc = protocol::parse_protocol_json(text);
    if (!doc)
        return;
    auto again = protocol::to_canonical_json(*doc);
    check(again.ok() && *again == text);
    check(!audit::first_difference(*doc, *doc).has_value());
}

void qr_texts(std::string_view text) {
    std::vector<std::string> lines;
    std::string line;
    for (char c : text) {
        if (c == '\n') {
            lines.push_back(line);
            line.clear();
        } else {
            line += c;
        }
    }
    lines.push_back(line);
    (void)protocol::open_qr_texts(lines);
}

void box_keys(std::string_view text) {
    std::vector<ledger::box_key> keys(text.size() / 16);
    for (std::size_t i = 0; i < keys.size(); ++i)
        std::copy_n(reinterpret_cast<const std::uint8_t*>(text.data()) + i * 16, 16,
                    keys[i].begin());
    std::sort(keys.begin(), keys.end());
    auto f = audit::check_key_spread(keys);
    check(f.spread_ok || !f.expected.empty());
}

void ledger_file(std::string_view text) {
    // One directory for the process, removed with everything in it when the process ends.
    struct scratch {
        std::filesystem::path path;
        scratch() {
            std::string pattern =
                (std::filesystem::temp_directory_path() / "ballotbox-audit-fuzz-XXXXXX").string();
            check(mkdtemp(pattern.data()) != nullptr);
            path = pattern;
        }
        ~scratch() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };
    static const scratch dir;
    auto path = dir.path / "ledger.sqlite";
    std::filesystem::remove(dir.path / "ledger.sqlite-wal");
    std::filesystem::remove(dir.path / "ledger.sqlite-shm");
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    audit::audit_inputs in;
    in.ledger = path;
    in.package = std::filesystem::path(BALLOTBOX_SOURCE_DIR) /
                 "docs/examples/kz-2023-majilis-astana-01.package.json";
    in.commission_key =
        std::filesystem::path(BALLOTBOX_SOURCE_DIR) / "docs/examples/training-commission.pub.pem";
    in.threads = 1;
    auto r = audit::run(in);
    check(r.exit_code() == 0 ? !r.first_failure.has_value() : r.first_failure.has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
        case 0:
            protocol_json(rest);
            break;
        case 1:
            qr_texts(rest);
            break;
        case 2:
            box_keys(rest);
            break;
        default:
            ledger_file(rest);
            break;
    }
    return 0;
}
