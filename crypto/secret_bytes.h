// secret_bytes: a byte buffer for key material that is wiped (OPENSSL_cleanse) when it is
// destroyed, shrunk or moved from. Move-only, so a secret is never silently copied.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ballotbox::crypto {

class secret_bytes {
  public:
    secret_bytes() = default;
    explicit secret_bytes(std::size_t size) : data_(size) {}
    explicit secret_bytes(std::span<const std::uint8_t> from) : data_(from.begin(), from.end()) {}
    secret_bytes(const secret_bytes&) = delete;
    secret_bytes& operator=(const secret_bytes&) = delete;
    secret_bytes(secret_bytes&& other) noexcept;
    secret_bytes& operator=(secret_bytes&& other) noexcept;
    ~secret_bytes();

    std::uint8_t* data() { return data_.data(); }
    const std::uint8_t* data() const { return data_.data(); }
    std::size_t size() const { return data_.size(); }
    std::span<const std::uint8_t> view() const { return data_; }
    std::span<std::uint8_t> span() { return data_; }

    void wipe();  // zeroes and empties the buffer

  private:
    std::vector<std::uint8_t> data_;
};

}  // namespace ballotbox::crypto
