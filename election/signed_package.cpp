#include "election/signed_package.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "common/canonical_json.h"
#include "election/json_fields.h"

namespace ballotbox::election {
namespace {
constexpr std::size_t max_package_bytes = 1024 * 1024;
}

result<election_package> load_signed_package(std::string_view file_text,
                                             const crypto::ed25519_public_key& commission_key,
                                             const load_options& options) {
    auto doc = parse_json_strict(file_text, max_package_bytes);
    if (!doc)
        return make_error("election.not_json", "the election package file is not valid JSON (" +
                                                   doc.err().message + ")");
    json_fields file(*doc, "file", "election.bad_package");
    if (!file.is_object())
        return make_error("election.bad_package", "the election package file is not an object");
    if (!file.has("signature"))
        return make_error("election.unsigned",
                          "the election package is not signed: ask the territorial commission "
                          "for the signed file");
    BALLOTBOX_TRY(file.only_members({"package", "signature"}));
    BALLOTBOX_ASSIGN_OR_RETURN(auto sig, file.object("signature"));
    BALLOTBOX_TRY(sig.only_members({"algorithm", "key", "value"}));
    BALLOTBOX_ASSIGN_OR_RETURN(auto algorithm, sig.string("algorithm", 32));
    if (algorithm != "ed25519")
        return make_error("election.bad_signature",
                          "the package is signed with \"" + algorithm + "\", not ed25519");
    BALLOTBOX_ASSIGN_OR_RETURN(auto key_text, sig.string("key", 64));
    BALLOTBOX_ASSIGN_OR_RETURN(auto value_text, sig.string("value", 128));
    auto key = from_base64(key_text);
    auto value = from_base64(value_text);
    if (!key || !value || value->size() != 64)
        return make_error("election.bad_signature", "the package signature is malformed");
    if (!equal_constant_time(*key, commission_key.raw()))
        return make_error(
            "election.wrong_signer",
            "the election package is signed by a key that is not the territorial "
            "commission's key installed on this appliance (signed by " +
                to_hex(byte_view(key->data(), std::min<std::size_t>(key->size(), 8))) +
                "..., expected " + to_hex(byte_view(commission_key.raw().data(), 8)) + "...)");
    if (!doc->get_object().contains("package"))
        return make_error("election.bad_package", "the file has a signature but no package");
    const auto& package_value = doc->get_object().at("package");
    auto canonical = canonical_json(package_value);
    if (!canonical)
        return canonical.err();
    if (!commission_key.verify(as_bytes(*canonical), *value))
        return make_error("election.bad_signature",
                          "the election package's signature does not verify: the file was "
                          "changed after it was signed");
    auto package = parse_package(package_value);
    if (!package)
        return package.err();
    if (options.expected_station_id && *options.expected_station_id != package->station_id)
        return make_error("election.other_station", "the election package is for polling station " +
                                                        package->station_id +
                                                        ", but this appliance serves station " +
                                                        *options.expected_station_id);
    return package;
}

result<election_package> load_signed_package_file(const std::filesystem::path& path,
                                                  const crypto::ed25519_public_key& commission_key,
                                                  const load_options& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("election.file_unreadable",
                          "cannot open the election package " + path.string());
    std::string text(max_package_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_package_bytes)
        return make_error("election.not_json",
                          "the election package " + path.string() + " is larger than 1 MiB");
    return load_signed_package(text, commission_key, options);
}

result<std::string> sign_package(const boost::json::value& package,
                                 const crypto::ed25519_private_key& commission_key) {
    auto parsed = parse_package(package);
    if (!parsed)
        return parsed.err();
    auto signature = commission_key.sign(as_bytes(parsed->canonical_text));
    boost::json::object file;
    file["package"] = package;
    file["signature"] = {{"algorithm", "ed25519"},
                         {"key", to_base64(commission_key.public_key().raw())},
                         {"value", to_base64(signature)}};
    return boost::json::serialize(file);
}

}  // namespace ballotbox::election
