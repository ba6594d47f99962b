#include "crypto/secret_bytes.h"

#include <openssl/crypto.h>

namespace ballotbox::crypto {

secret_bytes::secret_bytes(secret_bytes&& other) noexcept : data_(std::move(other.data_)) {
    other.wipe();
}

secret_bytes& secret_bytes::operator=(secret_bytes&& other) noexcept {
    if (this != &other) {
        wipe();
        data_ = std::move(other.data_);
        other.wipe();
    }
    return *this;
}

secret_bytes::~secret_bytes() {
    wipe();
}

void secret_bytes::wipe() {
    if (!data_.empty())
        OPENSSL_cleanse(data_.data(), data_.size());
    data_.clear();
    data_.shrink_to_fit();
}

}  // namespace ballotbox::crypto
