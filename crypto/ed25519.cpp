#include "crypto/ed25519.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto/secret_bytes.h"

namespace ballotbox::crypto {
namespace {

struct bio_deleter {
    void operator()(BIO* b) const { BIO_free(b); }
};
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;

std::string bio_to_string(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
}

result<std::string> read_small_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("crypto.key_file_unreadable",
                          "cannot open key file " + path.string() + ": " + std::strerror(errno));
    std::ostringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    if (text.size() > 64 * 1024)
        return make_error("crypto.key_file_too_large",
                          "key file " + path.string() + " is too large to be a key");
    return text;
}

result<ed25519_raw_public_key> raw_public(EVP_PKEY* key) {
    ed25519_raw_public_key raw{};
    std::size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, raw.data(), &len) != 1 || len != raw.size())
        return openssl_error("crypto.bad_public_key", "cannot read the Ed25519 public key");
    return raw;
}

}  // namespace

ed25519_public_key::ed25519_public_key(evp_pkey_ptr key, const ed25519_raw_public_key& raw)
    : key_(key.release(), evp_pkey_deleter{}), raw_(raw) {}

result<ed25519_public_key> ed25519_public_key::from_raw(byte_view raw) {
    if (raw.size() != 32)
        return make_error("crypto.bad_public_key",
                          "an Ed25519 public key is 32 bytes, got " + std::to_string(raw.size()));
    evp_pkey_ptr key(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
    if (!key)
        return openssl_error("crypto.bad_public_key", "not a valid Ed25519 public key");
    ed25519_raw_public_key r;
    std::copy(raw.begin(), raw.end(), r.begin());
    return ed25519_public_key(std::move(key), r);
}

result<ed25519_public_key> ed25519_public_key::from_pem(std::string_view pem) {
    bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    evp_pkey_ptr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key)
        return openssl_error("crypto.bad_public_key", "not a PEM public key");
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        return make_error("crypto.wrong_key_type", "the PEM public key is not an Ed25519 key");
    auto raw = raw_public(key.get());
    if (!raw)
        return raw.err();
    return ed25519_public_key(std::move(key), *raw);
}

result<ed25519_public_key> ed25519_public_key::load(const std::filesystem::path& path) {
    auto text = read_small_file(path);
    if (!text)
        return text.err();
    return from_pem(*text);
}

std::string ed25519_public_key::to_pem() const {
    bio_ptr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1)
        std::abort();
    return bio_to_string(bio.get());
}

bool ed25519_public_key::verify(byte_view message, byte_view signature) const {
    if (signature.size() != 64)
        return false;
    evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                            message.size()) == 1;
}

ed25519_private_key::ed25519_private_key(evp_pkey_ptr key, ed25519_public_key pub)
    : key_(key.release(), evp_pkey_deleter{}), public_key_(std::move(pub)) {}

ed25519_private_key ed25519_private_key::generate(random_source& random) {
    secret_bytes seed(32);
    random.fill(seed.span());
    auto key = from_seed(seed.view());
    if (!key)
        std::abort();  // 32 bytes are always a valid Ed25519 seed
    return std::move(key).value();
}

result<ed25519_private_key> ed25519_private_key::from_seed(byte_view seed32) {
    if (seed32.size() != 32)
        return make_error("crypto.bad_private_key", "an Ed25519 seed is 32 bytes");
    evp_pkey_ptr key(
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed32.data(), seed32.size()));
    if (!key)
        return openssl_error("crypto.bad_private_key", "cannot make an Ed25519 key");
    auto raw = raw_public(key.get());
    if (!raw)
        return raw.err();
    auto pub = ed25519_public_key::from_raw(*raw);
    if (!pub)
        return pub.err();
    return ed25519_private_key(std::move(key), std::move(pub).value());
}

result<ed25519_private_key> ed25519_private_key::from_pem(std::string_view pem) {
    bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    evp_pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key)
        return openssl_error("crypto.bad_private_key", "not a PEM private key");
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        return make_error("crypto.wrong_key_type", "the PEM private key is not an Ed25519 key");
    auto raw = raw_public(key.get());
    if (!raw)
        return raw.err();
    auto pub = ed25519_public_key::from_raw(*raw);
    if (!pub)
        return pub.err();
    return ed25519_private_key(std::move(key), std::move(pub).value());
}

result<ed25519_private_key> ed25519_private_key::load(const std::filesystem::path& path) {
    auto text = read_small_file(path);
    if (!text)
        return text.err();
    auto key = from_pem(*text);
    OPENSSL_cleanse(text->data(), text->size());
    return key;
}

std::string ed25519_private_key::to_pem() const {
    bio_ptr bio(BIO_new(BIO_s_secmem()));
    if (!bio)
        bio.reset(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        std::abort();
    return bio_to_string(bio.get());
}

status ed25519_private_key::save(const std::filesystem::path& path) const {
    std::string pem = to_pem();
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    auto fail = [&](const char* what) {
        int e = errno;
        OPENSSL_cleanse(pem.data(), pem.size());
        ::unlink(tmp.c_str());
        return make_error("crypto.key_save_failed",
                          std::string(what) + " " + path.string() + ": " + std::strerror(e));
    };
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail("cannot create key file");
    std::size_t done = 0;
    while (done < pem.size()) {
        ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ::close(fd);
            return fail("cannot write key file");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
        ::close(fd);
        return fail("cannot sync key file");
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        return fail("cannot rename key file into");
    OPENSSL_cleanse(pem.data(), pem.size());
    int dir = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return ok_status();
}

ed25519_signature ed25519_private_key::sign(byte_view message) const {
    evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    ed25519_signature sig{};
    std::size_t len = sig.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1 ||
        len != sig.size())
        std::abort();
    return sig;
}

}  // namespace ballotbox::crypto
