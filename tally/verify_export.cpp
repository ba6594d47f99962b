#include "tally/verify_export.h"

#include <boost/json.hpp>

#include "common/canonical_json.h"
#include "ledger/checkpoint.h"
#include "protocol/reconciliation.h"
#include "tally/read_file.h"
#include "tally/renamed_error.h"

namespace ballotbox::tally {

namespace {

error fail(std::string code, std::string message) {
    return make_error(std::move(code), std::move(message));
}

// protocol.json through the appliance's own strict reader; its "protocol.X" codes become the
// tally's "tally.protocol_X" (docs/tally.md).
result<protocol::protocol_document> parse_arrival(std::string_view protocol_json) {
    auto doc = protocol::parse_protocol_json(protocol_json);
    if (doc)
        return doc;
    return renamed_error(doc.err(), "protocol.", "tally.protocol_");
}

status check_ballots(const protocol::protocol_document& p, const election::election_package& pkg) {
    if (p.ballots.size() != pkg.ballots.size())
        return fail("tally.ballots_mismatch", "The protocol has " +
                                                  std::to_string(p.ballots.size()) +
                                                  " ballots; the station's package has " +
                                                  std::to_string(pkg.ballots.size()) + ".");
    for (std::size_t i = 0; i < p.ballots.size(); ++i) {
        const auto& got = p.ballots[i];
        const auto& want = pkg.ballots[i];
        if (got.id != want.id || got.options.size() != want.options.size())
            return fail("tally.ballots_mismatch",
                        "Ballot " + std::to_string(i + 1) + " is \"" + got.id + "\" with " +
                            std::to_string(got.options.size()) + " options; the package's is \"" +
                            want.id + "\" with " + std::to_string(want.options.size()) + ".");
        for (std::size_t o = 0; o < got.options.size(); ++o)
            if (got.options[o].id != want.options[o].id)
                return fail("tally.ballots_mismatch",
                            "Option " + std::to_string(o + 1) + " of ballot \"" + got.id +
                                "\" is \"" + got.options[o].id + "\", not the package's \"" +
                                want.options[o].id + "\".");
        if (!want.against_all && got.against_all != 0)
            return fail("tally.ballots_mismatch",
                        "Ballot \"" + got.id +
                            "\" has no \"against all\" line but the protocol counts votes on it.");
    }
    return ok_status();
}

// The SPKI PEM text OpenSSL writes for this key (the form appliance.pub.pem is exported in):
// the fixed Ed25519 SubjectPublicKeyInfo prefix, the 32 key bytes, base64 on one line.
std::string standard_pem(const crypto::ed25519_raw_public_key& raw) {
    static constexpr std::uint8_t prefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    bytes der(prefix, prefix + sizeof prefix);
    der.insert(der.end(), raw.begin(), raw.end());
    return "-----BEGIN PUBLIC KEY-----\n" + to_base64(der) + "\n-----END PUBLIC KEY-----\n";
}

// Is the shipped PEM the registered key? Comparing with the standard text first avoids
// OpenSSL 3's slow PEM decoder for every protocol; any other form is decoded and compared.
bool shipped_key_is(std::string_view pem, const crypto::ed25519_public_key& registered) {
    if (pem == standard_pem(registered.raw()))
        return true;
    auto shipped = crypto::ed25519_public_key::from_pem(pem);
    return shipped && *shipped == registered;
}

}  // namespace

std::string station_named_in(std::string_view protocol_json) {
    auto doc = parse_json_strict(protocol_json, protocol::max_protocol_json_bytes);
    if (!doc || !doc->is_object())
        return {};
    const auto* station = doc->as_object().if_contains("station");
    if (!station || !station->is_object())
        return {};
    const auto* id = station->as_object().if_contains("id");
    if (!id || !id->is_string() || !station_id_valid(id->as_string()))
        return {};
    return std::string(id->as_string());
}

result<accepted_protocol> verify_export_bytes(const std::filesystem::path& source,
                                              std::string_view protocol_json,
                                              std::string_view signature,
                                              std::string_view public_key_pem,
                                              std::string_view checkpoint_note,
                                              const verify_context& context) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto p, parse_arrival(protocol_json));
    if (p.kind != protocol::report_kind::result)
        return fail("tally.not_a_result", "This is a " +
                                              std::string(protocol::report_kind_name(p.kind)) +
                                              " report, not the result protocol.");
    const auto* pkg = context.election.find(p.station_id);
    if (!pkg)
        return fail("tally.station_not_in_election",
                    "Station \"" + p.station_id +
                        "\" has no package in this election: it is not one of its stations.");
    const auto* key = context.registry.find(p.station_id);
    if (!key)
        return fail("tally.station_not_registered",
                    "Station \"" + p.station_id +
                        "\" has no key in the registry: no appliance was registered for it.");
    if (!shipped_key_is(public_key_pem, *key) || p.appliance_key != key->raw())
        return fail("tally.key_not_registered",
                    "The protocol of station \"" + p.station_id +
                        "\" comes with a key that is not the one registered for it.");
    if (signature.size() != 64 || !key->verify(as_bytes(protocol_json), as_bytes(signature)))
        return fail("tally.bad_signature",
                    "The signature of station \"" + p.station_id +
                        "\"'s protocol does not verify with its registered key: the file was "
                        "changed or signed by another appliance.");
    if (p.election_id != pkg->election_id)
        return fail("tally.wrong_election", "The protocol is for election \"" + p.election_id +
                                                "\", not \"" + pkg->election_id + "\".");
    if (p.package_sha256 != pkg->package_hash)
        return fail("tally.wrong_package",
                    "The protocol was made under package " + to_hex(p.package_sha256) +
                        ", not the station's package " + to_hex(pkg->package_hash) + ".");
    if (p.training != pkg->training)
        return fail("tally.training_mismatch", p.training ? "A training protocol cannot be counted."
                                                          : "The package is a training package.");
    if (p.station_number != pkg->station_number || p.district_number != pkg->district_number ||
        p.region != region_name(*pkg))
        return fail("tally.station_mismatch",
                    "The protocol's station number, district or region is not the package's.");
    BALLOTBOX_TRY(check_ballots(p, *pkg));
    const auto failures = protocol::explain_failures(p);
    if (!failures.empty())
        return fail("tally.does_not_reconcile", "Station \"" + p.station_id + "\", ballot \"" +
                                                    failures.front().ballot_id +
                                                    "\": " + failures.front().what + ".");
    for (const auto& c : p.checks)
        if (!c.holds)
            return fail("tally.does_not_reconcile", "Station \"" + p.station_id +
                                                        "\": the appliance reports the check \"" +
                                                        c.id + "\" failed.");
    auto note = ledger::parse_signed_note(checkpoint_note);
    if (!note)
        return fail("tally.bad_checkpoint", "checkpoint.txt: " + note.err().message);
    auto cp = ledger::open_signed_checkpoint(checkpoint_note,
                                             ledger::note_verifier{p.ledger.origin, *key});
    if (!cp)
        return fail("tally.bad_checkpoint",
                    "checkpoint.txt is not signed by the registered key: " + cp.err().message);
    if (cp->origin != p.ledger.origin || cp->tree_size != p.ledger.tree_size ||
        cp->root != p.ledger.root)
        return fail("tally.bad_checkpoint",
                    "checkpoint.txt is not the checkpoint the protocol pins.");
    return accepted_protocol{source, std::move(p), crypto::sha256(as_bytes(protocol_json))};
}

result<accepted_protocol> verify_export(const std::filesystem::path& dir,
                                        const verify_context& context) {
    auto incomplete = [&](const error& e) {
        return fail(e.code == "tally.file_missing" ? "tally.export_incomplete" : e.code, e.message);
    };
    auto doc = read_bounded_file(dir / "protocol.json", protocol::max_protocol_json_bytes);
    if (!doc)
        return incomplete(doc.err());
    auto sig = read_bounded_file(dir / "protocol.json.sig", 64);
    if (!sig)
        return incomplete(sig.err());
    auto pem = read_bounded_file(dir / "appliance.pub.pem", 4096);
    if (!pem)
        return incomplete(pem.err());
    auto cp = read_bounded_file(dir / "checkpoint.txt", 64 * 1024);
    if (!cp)
        return incomplete(cp.err());
    return verify_export_bytes(dir, *doc, *sig, *pem, *cp, context);
}

}  // namespace ballotbox::tally
