// Completing a package template for signing: the territorial commission's side of setup
// (and the test and training tooling's). Fills in the booth terminals' public keys and the
// scrypt hash of the sealed opening secret with a fresh random salt. The result is a
// package document ready for sign_package(). Pure apart from the random source; not
// thread-safe only as far as the random source is not.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "crypto/ed25519.h"
#include "crypto/kdf.h"
#include "election/election_package.h"

namespace ballotbox::election {

struct booth_entry {
    std::string id;
    crypto::ed25519_public_key key;
};

struct package_completion {
    std::string opening_secret;
    crypto::scrypt_params scrypt = {1 << 15, 8, 1};
    std::vector<booth_entry> booths;
    std::optional<bool> training;  // overrides the template's flag when set
};

result<boost::json::value> complete_package(const boost::json::value& template_package,
                                            const package_completion& completion,
                                            random_source& random);

// Checks a chair's opening secret against the package's hash (constant time).
bool opening_secret_matches(std::string_view secret, const opening_secret_hash& hash);

}  // namespace ballotbox::election
