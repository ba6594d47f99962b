#include "election/package_builder.h"

#include <boost/json.hpp>

#include "election/election_package.h"

namespace ballotbox::election {

result<boost::json::value> complete_package(const boost::json::value& template_package,
                                            const package_completion& completion,
                                            random_source& random) {
    if (!template_package.is_object())
        return make_error("election.bad_package", "the package template is not an object");
    if (completion.opening_secret.size() < 8)
        return make_error("election.weak_opening_secret",
                          "the opening secret must be at least 8 characters long");
    boost::json::value doc = template_package;
    auto& obj = doc.get_object();
    bytes salt(16);
    random.fill(salt);
    auto hash = crypto::scrypt(completion.opening_secret, salt, completion.scrypt, 32);
    if (!hash)
        return hash.err();
    obj["opening_secret"] = {{"kdf", "scrypt"},          {"n", completion.scrypt.n},
                             {"r", completion.scrypt.r}, {"p", completion.scrypt.p},
                             {"salt", to_base64(salt)},  {"hash", to_base64(hash->view())}};
    boost::json::array booths;
    for (const auto& b : completion.booths)
        booths.push_back({{"id", b.id}, {"public_key", to_base64(b.key.raw())}});
    obj["booths"] = std::move(booths);
    if (completion.training)
        obj["training"] = *completion.training;
    return doc;
}

bool opening_secret_matches(std::string_view secret, const opening_secret_hash& hash) {
    auto derived = crypto::scrypt(secret, hash.salt, hash.params, hash.hash.size());
    return derived && equal_constant_time(derived->view(), hash.hash);
}

}  // namespace ballotbox::election
