#include "protocol/verify_protocol.h"

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/bytes.h"
#include "common/read_file.h"
#include "ledger/checkpoint.h"
#include "protocol/qr_payload.h"
#include "protocol/signed_protocol.h"

namespace ballotbox::protocol {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr std::size_t max_file = 4 * 1024 * 1024;

result<std::string> read_export_file(const fs::path& dir, const char* name) {
    auto text = read_small_file(dir / name, max_file);
    if (text)
        return text;
    const auto& code = text.err().code;
    if (code == "file.missing")
        return make_error("protocol.missing_file", "The export has no " + std::string(name) + ".");
    if (code == "file.too_large")
        return make_error("protocol.too_large", text.err().message);
    return make_error("protocol.cannot_read", text.err().message);
}

status checks_as_computed(const protocol_document& d) {
    auto want = compute_checks(d);
    for (const auto& w : want) {
        bool found = false;
        for (const auto& c : d.checks)
            if (c.id == w.id) {
                found = true;
                if (c.holds != w.holds)
                    return make_error("protocol.checks_misstated",
                                      "The document says check \"" + w.id + "\" " +
                                          (c.holds ? "holds" : "fails") +
                                          ", but its figures say it " +
                                          (w.holds ? "holds" : "fails") + ".");
            }
        if (!found)
            return make_error("protocol.checks_misstated",
                              "The document does not carry the check \"" + w.id + "\".");
    }
    return ok_status();
}

std::optional<std::int64_t> nist_count(const json::value& selection) {
    const auto* s = selection.if_object();
    if (!s)
        return std::nullopt;
    const auto* vc = s->if_contains("VoteCounts");
    if (!vc || !vc->is_array() || vc->as_array().size() != 1 || !vc->as_array()[0].is_object())
        return std::nullopt;
    const auto* c = vc->as_array()[0].as_object().if_contains("Count");
    if (!c || !c->is_int64())
        return std::nullopt;
    return c->as_int64();
}

status nist_matches(std::string_view text, const protocol_document& d) {
    auto bad = [](const std::string& why) {
        return make_error("protocol.nist_mismatch",
                          "protocol.nist.json does not match protocol.json: " + why);
    };
    std::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object())
        return bad("it is not a JSON object.");
    const auto* type = v.as_object().if_contains("@type");
    if (!type || *type != "ElectionResults.ElectionReport")
        return bad("it is not an ElectionResults.ElectionReport.");
    const auto* elections = v.as_object().if_contains("Election");
    if (!elections || !elections->is_array() || elections->as_array().size() != 1 ||
        !elections->as_array()[0].is_object())
        return bad("it does not hold one Election.");
    const auto* contests = elections->as_array()[0].as_object().if_contains("Contest");
    if (!contests || !contests->is_array() || contests->as_array().size() != d.ballots.size())
        return bad("it does not hold one contest per ballot.");
    for (std::size_t i = 0; i < d.ballots.size(); ++i) {
        const auto& b = d.ballots[i];
        const auto* c = contests->as_array()[i].if_object();
        const auto* sel = c ? c->if_contains("BallotSelection") : nullptr;
        if (!sel || !sel->is_array() || sel->as_array().size() < b.options.size())
            return bad("contest " + std::to_string(i + 1) + " has the wrong selections.");
        for (std::size_t o = 0; o < b.options.size(); ++o)
            if (nist_count(sel->as_array()[o]) != b.options[o].votes)
                return bad("the votes for \"" + b.options[o].id + "\" on \"" + b.id + "\" differ.");
        if (sel->as_array().size() == b.options.size() + 1 &&
            nist_count(sel->as_array()[b.options.size()]) != b.against_all)
            return bad("the votes against all on \"" + b.id + "\" differ.");
    }
    return ok_status();
}

std::string key_id_hex(std::uint32_t id) {
    return to_hex(bytes{static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
                        static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)});
}

}  // namespace

result<verified_protocol> verify_export_dir(
    const fs::path& dir, const std::optional<crypto::ed25519_raw_public_key>& trusted) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto text, read_export_file(dir, export_json));
    BALLOTBOX_ASSIGN_OR_RETURN(auto sig, read_export_file(dir, export_sig));
    BALLOTBOX_ASSIGN_OR_RETURN(auto pem, read_export_file(dir, export_pub));
    BALLOTBOX_ASSIGN_OR_RETURN(auto note, read_export_file(dir, export_checkpoint));
    BALLOTBOX_ASSIGN_OR_RETURN(auto nist, read_export_file(dir, export_nist));
    BALLOTBOX_ASSIGN_OR_RETURN(auto doc, parse_protocol_json(text));
    auto key = crypto::ed25519_public_key::from_pem(pem);
    if (!key || key->raw() != doc.appliance_key)
        return make_error("protocol.key_mismatch",
                          "appliance.pub.pem is not the appliance key protocol.json names (" +
                              to_hex(doc.appliance_key) + ").");
    if (trusted && *trusted != doc.appliance_key)
        return make_error("protocol.untrusted_key",
                          "The protocol is signed by key " + to_hex(doc.appliance_key) +
                              ", not by the registered key " + to_hex(*trusted) + ".");
    if (sig.size() != 64 || !key->verify(as_bytes(text), as_bytes(sig)))
        return make_error(
            "protocol.bad_signature",
            "The signature in protocol.json.sig does not verify: protocol.json was altered "
            "or not signed by this appliance.");
    auto cp = ledger::open_signed_checkpoint(note, {doc.ledger.origin, *key});
    auto parsed_note = ledger::parse_signed_note(note);
    if (!cp || !parsed_note)
        return make_error(
            "protocol.checkpoint_invalid",
            "checkpoint.txt is not a checkpoint signed by the appliance key under origin \"" +
                doc.ledger.origin + "\"" + (cp ? "" : ": " + cp.err().message));
    if (cp->origin != doc.ledger.origin || cp->tree_size != doc.ledger.tree_size ||
        cp->root != doc.ledger.root)
        return make_error("protocol.checkpoint_mismatch",
                          "checkpoint.txt pins tree size " + std::to_string(cp->tree_size) +
                              " and root " + to_base64(cp->root) + ", but protocol.json says " +
                              std::to_string(doc.ledger.tree_size) + " and " +
                              to_base64(doc.ledger.root) + ".");
    bool key_id_found = false;
    for (const auto& s : parsed_note->signatures)
        key_id_found =
            key_id_found || (s.key_id == doc.ledger.key_id && s.key_name == doc.ledger.origin);
    if (!key_id_found)
        return make_error("protocol.checkpoint_mismatch",
                          "checkpoint.txt carries no signature with key id " +
                              key_id_hex(doc.ledger.key_id) + ".");
    BALLOTBOX_TRY(nist_matches(nist, doc));
    BALLOTBOX_TRY(checks_as_computed(doc));
    verified_protocol v;
    v.failures = explain_failures(doc);
    v.document = std::move(doc);
    v.short_digest = short_digest(text);
    return v;
}

result<verified_protocol> verify_qr(const std::vector<std::string>& texts,
                                    const std::optional<crypto::ed25519_raw_public_key>& trusted) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto q, open_qr_texts(texts));
    if (trusted && *trusted != q.document.appliance_key)
        return make_error("protocol.untrusted_key",
                          "The QR codes are signed by key " + to_hex(q.document.appliance_key) +
                              ", not by the registered key " + to_hex(*trusted) + ".");
    BALLOTBOX_TRY(checks_as_computed(q.document));
    verified_protocol v;
    v.failures = explain_failures(q.document);
    auto hex = to_hex(q.protocol_sha256).substr(0, 16);
    v.short_digest = hex.substr(0, 4) + " " + hex.substr(4, 4) + " " + hex.substr(8, 4) + " " +
                     hex.substr(12, 4);
    v.document = std::move(q.document);
    return v;
}

std::string describe(const verified_protocol& v) {
    const auto& d = v.document;
    std::ostringstream o;
    o << "protocol (" << report_kind_name(d.kind) << ")" << (d.training ? " TRAINING" : "") << "\n"
      << "election " << d.election_id << ", station " << d.station_id << " (No. "
      << d.station_number << ", district " << d.district_number << ")\n";
    if (!d.event_time.empty())
        o << "event time " << d.event_time << "\n";
    o << "ledger tree size " << d.ledger.tree_size << ", root " << to_base64(d.ledger.root)
      << ", key id " << key_id_hex(d.ledger.key_id) << "\n"
      << "ballot box " << d.ledger.box_size << " ballots, root " << to_hex(d.ledger.box_root)
      << "\n"
      << "appliance key " << to_hex(d.appliance_key) << "\n"
      << "digest " << v.short_digest << "\n"
      << "voters on the list " << d.voters_on_list << ", added " << d.voters_added << "\n";
    for (const auto& b : d.ballots) {
        o << "ballot " << b.id << ": issued " << b.issued_station << " + " << b.issued_portable
          << " portable, cancelled " << b.cancelled << ", not returned " << b.not_returned
          << ", cast " << b.cast_station << " + " << b.cast_portable << " portable, took part "
          << b.took_part << ", turnout " << b.turnout_basis_points / 100 << "."
          << (b.turnout_basis_points % 100 < 10 ? "0" : "") << b.turnout_basis_points % 100
          << " %\n";
        for (std::size_t i = 0; i < b.options.size(); ++i)
            o << "  "
              << (b.options[i].id.empty() ? "option " + std::to_string(i + 1) : b.options[i].id)
              << " " << b.options[i].votes << "\n";
        o << "  against all " << b.against_all << "\n  blank " << b.blank << "\n";
    }
    for (const auto& c : d.checks)
        o << "check " << c.id << ": " << (c.holds ? "holds" : "FAILS") << "\n";
    for (const auto& f : v.failures)
        o << "NOT RECONCILED: " << f.check_id << " on " << f.ballot_id << ": " << f.what << "\n";
    return o.str();
}

const char* const verify_usage =
    "usage: verify-protocol DIR [--key HEX]        check an exported protocol directory\n"
    "       verify-protocol --qr FILE [--key HEX]  check QR code texts (one per line; - = stdin)\n"
    "--key HEX: the appliance key registered for the station (64 hex characters)\n";

int run_verify_protocol(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) {
    std::optional<std::string> dir, qr_file;
    std::optional<crypto::ed25519_raw_public_key> key;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        if ((a == "--key" || a == "--qr") && i + 1 >= args.size()) {
            err << a << " needs a value\n" << verify_usage;
            return 2;
        }
        if (a == "--key") {
            auto k = from_hex(args[++i]);
            if (!k || k->size() != 32) {
                err << "--key must be 64 hex characters\n";
                return 2;
            }
            key.emplace();
            std::copy(k->begin(), k->end(), key->begin());
        } else if (a == "--qr") {
            qr_file = args[++i];
        } else if (!a.empty() && a[0] != '-' && !dir) {
            dir = a;
        } else {
            err << "unexpected argument: " << a << "\n" << verify_usage;
            return 2;
        }
    }
    if (dir.has_value() == qr_file.has_value()) {
        err << verify_usage;
        return 2;
    }
    result<verified_protocol> v = make_error("", "");
    if (dir) {
        v = verify_export_dir(*dir, key);
    } else {
        std::vector<std::string> texts;
        std::ifstream file;
        std::istream* in = &std::cin;
        if (*qr_file != "-") {
            file.open(*qr_file);
            if (!file) {
                err << "cannot read " << *qr_file << "\n";
                return 1;
            }
            in = &file;
        }
        std::string line;
        while (texts.size() < 100 && std::getline(*in, line)) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (line.starts_with("QR-Code:"))  // zbarimg's output form
                line = line.substr(8);
            if (!line.empty())
                texts.push_back(line);
        }
        v = verify_qr(texts, key);
    }
    if (!v) {
        err << "NOT VERIFIED: " << v.err().message << " [" << v.err().code << "]\n";
        return 1;
    }
    out << describe(*v);
    if (!v->reconciled()) {
        err << "The protocol is authentic but its figures do not reconcile (see above).\n";
        return 1;
    }
    out << "VERIFIED: signed by appliance key " << to_hex(v->document.appliance_key)
        << (key ? " (the registered key)" : " (compare it with the registered key)") << "\n";
    return 0;
}

}  // namespace ballotbox::protocol
