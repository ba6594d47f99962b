#include "protocol/signed_protocol.h"

#include <boost/json.hpp>

#include "common/atomic_file.h"
#include "protocol/nist_report.h"
#include "protocol/qr_payload.h"

namespace ballotbox::protocol {

result<signed_protocol> sign_report(const report& rep, const crypto::ed25519_private_key& key) {
    if (key.public_key().raw() != rep.document.appliance_key)
        return make_error("protocol.wrong_key",
                          "The signing key is not the appliance key this ledger was made with.");
    signed_protocol sp;
    sp.document = rep.document;
    BALLOTBOX_ASSIGN_OR_RETURN(sp.json, to_canonical_json(rep.document));
    sp.signature = key.sign(as_bytes(sp.json));
    sp.checkpoint_note = rep.checkpoint_note;
    BALLOTBOX_ASSIGN_OR_RETURN(sp.qr_texts, make_qr_texts(rep.document, sp.json, key));
    return sp;
}

status export_protocol(const std::filesystem::path& dir, const signed_protocol& sp,
                       const election::election_package& package) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return make_error("protocol.write_failed",
                          "Cannot create " + dir.string() + ": " + ec.message());
    BALLOTBOX_ASSIGN_OR_RETURN(auto nist,
                               make_nist_report(sp.document, package, sp.document.event_time));
    BALLOTBOX_ASSIGN_OR_RETURN(auto key,
                               crypto::ed25519_public_key::from_raw(sp.document.appliance_key));
    BALLOTBOX_TRY(write_file_atomically(dir / export_json, sp.json));
    BALLOTBOX_TRY(write_file_atomically(dir / export_sig, as_chars(sp.signature)));
    BALLOTBOX_TRY(write_file_atomically(dir / export_pub, key.to_pem()));
    BALLOTBOX_TRY(write_file_atomically(dir / export_checkpoint, sp.checkpoint_note));
    BALLOTBOX_TRY(write_file_atomically(dir / export_nist, boost::json::serialize(nist) + "\n"));
    return ok_status();
}

}  // namespace ballotbox::protocol
