// The tally and the exported protocol (see audit_context.h). The tally is the protocol
// module's own (protocol::make_report): the audit never keeps a second one.
#include "audit/audit_context.h"
#include "audit/document_diff.h"
#include "ledger/checkpoint.h"
#include "protocol/verify_protocol.h"

namespace ballotbox::audit::detail {

step_result check_tally(context& c, std::string& detail) {
    auto r =
        protocol::make_report(*c.book, *c.package, {protocol::report_kind::result, std::nullopt});
    if (!r) {
        auto p =
            tampered("tally", "ballot box", "The tally cannot be recomputed: " + r.err().message);
        p.where.code = r.err().code;
        return p;
    }
    std::string note;
    for (const auto& check : r->document.checks) {
        // Not a reconciliation: the tally says it attributed a cancel without a style to the
        // style the chain implies (docs of protocol/tally.h). Reported, not a failure.
        if (check.id == "cancelled_styles_known") {
            if (!check.holds)
                note = "; a cancelled card's style was inferred from the chain";
            continue;
        }
        if (!check.holds)
            return tampered("tally", "recomputed protocol",
                            "The recomputed figures do not reconcile (" + check.id + ").",
                            check.id + " holds", check.id + " fails");
    }
    for (const auto& b : r->document.ballots) {
        tally_line line{b.id,
                        b.issued_station + b.issued_portable,
                        b.cancelled,
                        b.cast_station + b.cast_portable,
                        b.against_all,
                        b.blank,
                        {}};
        for (const auto& o : b.options)
            line.options.emplace_back(o.id, o.votes);
        c.report.tally.push_back(std::move(line));
    }
    c.tally = std::move(*r);
    detail = std::to_string(c.tally->document.ballots.size()) + " ballots tallied from " +
             std::to_string(c.box.size()) + " records; every reconciliation check holds" + note;
    return std::nullopt;
}

namespace {

// The file of the export a verify_export_dir error points at.
std::string export_place(const std::string& code) {
    if (code == "protocol.key_mismatch" || code == "protocol.untrusted_key")
        return "file appliance.pub.pem";
    if (code == "protocol.bad_signature")
        return "file protocol.json.sig";
    if (code.rfind("protocol.checkpoint", 0) == 0)
        return "file checkpoint.txt";
    if (code == "protocol.nist_mismatch")
        return "file protocol.nist.json";
    return "file protocol.json";
}

step_result compare_document(const protocol::protocol_document& expected,
                             const protocol::protocol_document& found, const std::string& where) {
    if (auto d = first_difference(expected, found))
        return tampered(
            "protocol", where + " " + d->path,
            "The protocol's " + d->path + " differs from the figure recomputed from the ledger.",
            d->expected, d->found);
    return std::nullopt;
}

}  // namespace

step_result check_protocol_export(context& c, std::string& detail) {
    const auto& dir = *c.in.protocol_dir;
    auto v = protocol::verify_export_dir(dir, c.appliance_key->raw());
    if (!v) {
        const auto& code = v.err().code;
        bool missing = code == "protocol.missing_file" || code == "protocol.too_large";
        auto p = missing ? unusable("protocol", "export " + dir.string(), v.err().message)
                         : tampered("protocol", export_place(code), v.err().message);
        p.where.code = code;
        return p;
    }
    // verify_export_dir tied checkpoint.txt to the document's pin; the pin and every figure
    // must now be the ledger's.
    if (auto p = compare_document(c.tally->document, v->document, "protocol.json"))
        return p;
    detail = "signature by the ledger's appliance key, final checkpoint (tree size " +
             std::to_string(v->document.ledger.tree_size) + ") and every figure equal the ledger's";
    return std::nullopt;
}

step_result check_protocol_qr(context& c, std::string& detail) {
    std::vector<std::string> texts;
    std::string line;
    for (char ch : c.in.qr_text + "\n") {
        if (ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t') {
            if (!line.empty())
                texts.push_back(std::move(line));
            line.clear();
        } else {
            line += ch;
        }
    }
    auto v = protocol::verify_qr(texts, c.appliance_key->raw());
    if (!v) {
        auto p = tampered("protocol_qr", "QR text", v.err().message);
        p.where.code = v.err().code;
        return p;
    }
    // The codes do not carry the package hash, the origin, option ids, region, event time or
    // the portable-box state (docs/protocol-format.md, "QR codes"): those are taken as read.
    auto expected = c.tally->document;
    const auto& found = v->document;
    expected.package_sha256 = found.package_sha256;
    expected.ledger.origin = found.ledger.origin;
    expected.region = found.region;
    expected.event_time = found.event_time;
    expected.portable_box = found.portable_box;
    for (std::size_t i = 0; i < expected.ballots.size() && i < found.ballots.size(); ++i)
        for (std::size_t o = 0;
             o < expected.ballots[i].options.size() && o < found.ballots[i].options.size(); ++o)
            expected.ballots[i].options[o].id = found.ballots[i].options[o].id;
    if (auto d = first_difference(expected, v->document))
        return tampered(
            "protocol_qr", "QR " + d->path,
            "The QR codes' " + d->path + " differs from the figure recomputed from the ledger.",
            d->expected, d->found);
    detail = std::to_string(texts.size()) +
             " QR codes signed by the ledger's appliance key; pin (tree size " +
             std::to_string(v->document.ledger.tree_size) + ") and every figure equal the ledger's";
    return std::nullopt;
}

}  // namespace ballotbox::audit::detail
