#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "crypto/sha256.h"

using namespace ballotbox;
using namespace ballotbox::crypto;

TEST_CASE("SHA-256 known answers (FIPS 180-2)") {
    CHECK(to_hex(sha256(as_bytes(""))) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(to_hex(sha256(as_bytes("abc"))) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hasher h;
    h.update(as_bytes("ab")).update(as_bytes("c"));
    CHECK(to_hex(h.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("HMAC-SHA256 known answer (RFC 4231 test case 2)") {
    auto tag = hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"));
    CHECK(to_hex(tag) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hmac_sha256_verify(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"), tag));
    tag[0] ^= 1;
    CHECK_FALSE(
        hmac_sha256_verify(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"), tag));
}

TEST_CASE("HMAC-SHA256 with a prepared key: known answers, repeated use, copies, threads") {
    const std::string jefe_data = "what do ya want for nothing?";
    hmac_sha256_key jefe(as_bytes("Jefe"));
    // mac() resets the prepared context to the keyed state: asking twice gives one answer.
    for (int i = 0; i < 2; ++i)
        CHECK(to_hex(jefe.mac(as_bytes(jefe_data))) ==
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // RFC 4231 test case 6: a key longer than SHA-256's block is hashed first.
    const bytes long_key(131, 0xaa);
    hmac_sha256_key prepared_long(long_key);
    const std::string long_data = "Test Using Larger Than Block-Size Key - Hash Key First";
    CHECK(to_hex(prepared_long.mac(as_bytes(long_data))) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK(prepared_long.mac(as_bytes(long_data)) == hmac_sha256(long_key, as_bytes(long_data)));
    // The empty key and message (value from an independent implementation, Python's hmac).
    CHECK(to_hex(hmac_sha256_key(byte_view{}).mac({})) ==
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");

    auto tag = jefe.mac(as_bytes(jefe_data));
    CHECK(jefe.verify(as_bytes(jefe_data), tag));
    CHECK_FALSE(prepared_long.verify(as_bytes(jefe_data), tag));
    CHECK_FALSE(jefe.verify(as_bytes(jefe_data), byte_view(tag).first(31)));
    tag[31] ^= 0x80;
    CHECK_FALSE(jefe.verify(as_bytes(jefe_data), tag));

    // A copy is independent of its source, and of a copy taken after the source was used.
    hmac_sha256_key copy = jefe;
    hmac_sha256_key assigned = prepared_long;
    assigned = copy;
    CHECK(copy.mac(as_bytes(jefe_data)) == jefe.mac(as_bytes(jefe_data)));
    CHECK(assigned.mac(as_bytes(long_data)) == hmac_sha256(as_bytes("Jefe"), as_bytes(long_data)));

    // Threads that each copy one shared key at once get the right answers (and the thread
    // sanitizer build sees no race in it).
    std::vector<bytes> messages;
    for (int i = 0; i < 64; ++i)
        messages.push_back(bytes(static_cast<std::size_t>(i * 5), static_cast<std::uint8_t>(i)));
    std::vector<int> wrong(4, 0);
    {
        std::vector<std::jthread> threads;
        for (std::size_t t = 0; t < wrong.size(); ++t)
            threads.emplace_back([&, t] {
                hmac_sha256_key mine = prepared_long;
                for (int round = 0; round < 20; ++round)
                    for (const auto& m : messages)
                        wrong[t] += mine.mac(m) != hmac_sha256(long_key, m);
            });
    }
    CHECK(wrong == std::vector<int>(4, 0));
}

TEST_CASE("Ed25519 known answer (RFC 8032 test 1)") {
    auto seed = from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    auto key = ed25519_private_key::from_seed(*seed);
    REQUIRE(key.ok());
    CHECK(to_hex(key->public_key().raw()) ==
          "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    auto sig = key->sign({});
    CHECK(to_hex(sig) ==
          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
          "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    CHECK(key->public_key().verify({}, sig));
    sig[10] ^= 0x40;
    CHECK_FALSE(key->public_key().verify({}, sig));
    CHECK_FALSE(key->public_key().verify({}, byte_view(sig.data(), 63)));
}

TEST_CASE("Ed25519 keys survive PEM, and saved private keys are 0600") {
    seeded_random rng(7);
    auto key = ed25519_private_key::generate(rng);
    auto dir = std::filesystem::temp_directory_path() / "ballotbox-crypto-test";
    std::filesystem::create_directories(dir);
    auto path = dir / "appliance.pem";
    REQUIRE(key.save(path).ok());
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto loaded = ed25519_private_key::load(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->public_key() == key.public_key());
    auto pub = ed25519_public_key::from_pem(key.public_key().to_pem());
    REQUIRE(pub.ok());
    CHECK(*pub == key.public_key());
    CHECK(ed25519_public_key::from_pem("garbage").err().code == "crypto.bad_public_key");
    CHECK(ed25519_private_key::load(dir / "missing.pem").err().code ==
          "crypto.key_file_unreadable");
    std::filesystem::remove_all(dir);
}

TEST_CASE("seeded_random is repeatable and uniform() stays in bounds") {
    seeded_random a(42), b(42), c(43);
    CHECK(a.next_u64() == b.next_u64());
    CHECK(a.next_u64() != c.next_u64());
    for (int i = 0; i < 1000; ++i)
        CHECK(a.uniform(7) < 7);
}

TEST_CASE("secret_bytes is wiped when moved from") {
    secret_bytes s(std::vector<std::uint8_t>{1, 2, 3});
    secret_bytes t(std::move(s));
    CHECK(t.size() == 3);
    CHECK(s.size() == 0);
    t.wipe();
    CHECK(t.size() == 0);
}

#include "crypto/kdf.h"

TEST_CASE("scrypt known answer (RFC 7914 section 12, third vector) and bounds") {
    auto key = scrypt("pleaseletmein", as_bytes("SodiumChloride"), {16384, 8, 1}, 64);
    REQUIRE(key.ok());
    CHECK(to_hex(key->view()) ==
          "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d4"
          "9705242a9af9e61e85dc0d651e40dfcf017b45575887");
    CHECK(scrypt("x", as_bytes("salt"), {1000, 8, 1}, 32).err().code == "crypto.bad_kdf_params");
    CHECK(scrypt("x", as_bytes("salt"), {1 << 21, 8, 1}, 32).err().code == "crypto.bad_kdf_params");
    CHECK(scrypt("x", as_bytes("salt"), {1 << 20, 8, 1}, 32).err().code == "crypto.bad_kdf_params");
    CHECK(scrypt("x", as_bytes("salt"), {1024, 0, 1}, 32).err().code == "crypto.bad_kdf_params");
}
