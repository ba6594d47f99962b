// C2SP tlog-checkpoint and signed-note: fixed vectors, round trips, strict parsing (one
// error code per malformed input) and signature verification rules.
#include "ledger/checkpoint.h"

#include <doctest/doctest.h>

#include <string>

#include "common/bytes.h"
#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "ledger/merkle.h"

using namespace ballotbox;
using namespace ballotbox::ledger;
using std::string_literals::operator""s;

namespace {

crypto::ed25519_private_key key_from_seed_hex(std::string_view hex) {
    auto seed = from_hex(hex);
    REQUIRE(seed.ok());
    auto key = crypto::ed25519_private_key::from_seed(*seed);
    REQUIRE(key.ok());
    return *key;
}

crypto::ed25519_private_key seeded_key(std::uint64_t seed) {
    crypto::seeded_random rng(seed);
    return crypto::ed25519_private_key::generate(rng);
}

note_verifier verifier_of(std::string name, const crypto::ed25519_private_key& key) {
    return note_verifier{std::move(name), key.public_key()};
}

const std::string em_dash = "\xE2\x80\x94";

// A well-formed checkpoint text: origin, size, base64 of the empty-tree root.
const std::string good_cp = "example.org/log\n7\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";

std::string code_of_checkpoint(std::string_view text) {
    auto r = parse_checkpoint(text);
    return r.ok() ? "ok" : r.err().code;
}

std::string code_of_note(std::string_view text) {
    auto r = parse_signed_note(text);
    return r.ok() ? "ok" : r.err().code;
}

std::string code_of_vkey(std::string_view text) {
    auto r = parse_note_verifier_key(text);
    return r.ok() ? "ok" : r.err().code;
}

// A syntactically valid signature line (random signature bytes) for a name.
std::string junk_signature_line(std::string_view name, std::size_t sig_bytes = 68) {
    bytes blob(sig_bytes, 0x5a);
    return em_dash + " " + std::string(name) + " " + to_base64(blob) + "\n";
}

}  // namespace

TEST_CASE("checkpoint: golang.org/x/mod sumdb/note reference key, key id and signature") {
    // From golang.org/x/mod/sumdb/note note_test.go: the signer key
    // "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    // (base64 of 0x01 || seed), its verifier key, and its signature over the text below.
    auto skey = from_base64("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
    REQUIRE(skey.ok());
    REQUIRE(skey->size() == 33);
    auto key = crypto::ed25519_private_key::from_seed(byte_view(*skey).subspan(1));
    REQUIRE(key.ok());
    const std::string vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    CHECK(note_key_id("PeterNeumann", key->public_key()) == 0xc74f20a3u);
    CHECK(note_verifier_key("PeterNeumann", key->public_key()) == vkey);
    auto v = parse_note_verifier_key(vkey);
    REQUIRE(v.ok());
    CHECK(v->key_name == "PeterNeumann");
    CHECK(v->key == key->public_key());

    const std::string text =
        "If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n";
    const std::string want = text + "\n" + em_dash +
                             " PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FF"
                             "YC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    CHECK(sign_note(text, "PeterNeumann", *key).serialize() == want);
    auto parsed = parse_signed_note(want);
    REQUIRE(parsed.ok());
    CHECK(parsed->text == text);
    REQUIRE(parsed->signatures.size() == 1);
    CHECK(parsed->signatures[0].key_id == 0xc74f20a3u);
    CHECK(verify_note(*parsed, *v).ok());
}

TEST_CASE("checkpoint: the docs/checkpoint-format.md test vector") {
    // Seed 00 01 .. 1f; values computed independently with openssl and Python hashlib.
    auto key =
        key_from_seed_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    CHECK(to_hex(key.public_key().raw()) ==
          "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
    auto origin = checkpoint_origin("kz-2023-majilis", "010001", key.public_key());
    REQUIRE(origin.ok());
    CHECK(*origin == "ballotbox.kz/kz-2023-majilis/station/010001/device/56475aa7");
    CHECK(note_key_id(*origin, key.public_key()) == 0xe1b9f7e4u);
    CHECK(note_verifier_key(*origin, key.public_key()) ==
          "ballotbox.kz/kz-2023-majilis/station/010001/device/56475aa7+e1b9f7e4+"
          "AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4");

    checkpoint cp{*origin, 0, merkle_empty_root(), {}};
    const std::string text =
        "ballotbox.kz/kz-2023-majilis/station/010001/device/56475aa7\n0\n"
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    CHECK(cp.note_text() == text);
    const std::string signed_text = text + "\n" + em_dash +
                                    " ballotbox.kz/kz-2023-majilis/station/010001/device/56475aa7 "
                                    "4bn35FU9KOyEnTFVrT89McgmB2j4bWCVYIL6Pc7YhPv8DKOiNFghNpv8x71+"
                                    "zStFMURVOke6VOML8cngyEsSBxvArws="
                                    "\n";
    CHECK(sign_checkpoint(cp, *origin, key) == signed_text);
    auto opened = open_signed_checkpoint(signed_text, verifier_of(*origin, key));
    REQUIRE(opened.ok());
    CHECK(*opened == cp);
}

TEST_CASE("checkpoint: origin convention refuses ids that would break the line") {
    auto key = seeded_key(1);
    for (std::string_view bad : {"", "a b", "a+b", "a/b", "a\nb", "\xC3\xA9"})
        CHECK(checkpoint_origin(bad, "010001", key.public_key()).err().code ==
              "ledger.checkpoint_origin_bad_component");
    CHECK(checkpoint_origin("e", std::string(65, '1'), key.public_key()).err().code ==
          "ledger.checkpoint_origin_bad_component");
    CHECK(checkpoint_origin("kz-2023_x.1", "010001", key.public_key()).ok());
}

TEST_CASE("checkpoint: the C2SP specification examples parse") {
    // tlog-checkpoint.md example.
    const std::string cp_note =
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" +
        em_dash +
        " example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
        "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
    auto note = parse_signed_note(cp_note);
    REQUIRE(note.ok());
    REQUIRE(note->signatures.size() == 1);
    CHECK(note->signatures[0].key_name == "example.com/behind-the-sofa");
    CHECK(note->signatures[0].signature.size() == 64);
    auto cp = parse_checkpoint(note->text);
    REQUIRE(cp.ok());
    CHECK(cp->origin == "example.com/behind-the-sofa");
    CHECK(cp->tree_size == 20852163u);
    CHECK(to_base64(cp->root) == "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
    CHECK(cp->extensions.empty());

    // signed-note.md example: the text has an empty line of its own; the last one splits.
    const std::string poem =
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \xC3\xA8 "
        "subito sera.\n";
    const std::string poem_note =
        poem + "\n" + em_dash +
        " quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/"
        "5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
    auto pn = parse_signed_note(poem_note);
    REQUIRE(pn.ok());
    CHECK(pn->text == poem);
    CHECK(pn->serialize() == poem_note);
}

TEST_CASE("checkpoint: round trip with extension lines, signed and opened") {
    auto key = seeded_key(2);
    checkpoint cp;
    cp.origin = "ballotbox.kz/e/station/1/device/abcd0123";
    cp.tree_size = 18446744073709551615ull;  // the largest size the format allows here
    cp.root = merkle_leaf_hash(as_bytes("x"));
    cp.extensions = {"turnout 12:00", "ext \xD2\x9A\xD0\xB0\xD0\xB7"};  // UTF-8 allowed
    auto parsed = parse_checkpoint(cp.note_text());
    REQUIRE(parsed.ok());
    CHECK(*parsed == cp);
    std::string wire = sign_checkpoint(cp, cp.origin, key);
    auto opened = open_signed_checkpoint(wire, verifier_of(cp.origin, key));
    REQUIRE(opened.ok());
    CHECK(*opened == cp);
    auto note = parse_signed_note(wire);
    REQUIRE(note.ok());
    CHECK(note->serialize() == wire);
}

TEST_CASE("checkpoint: each malformed checkpoint text has its own error code") {
    const std::string root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    REQUIRE(code_of_checkpoint(good_cp) == "ok");
    const std::pair<std::string, std::string> cases[] = {
        {"example.org/log\n7\n" + root, "ledger.checkpoint_missing_newline"},
        {"", "ledger.checkpoint_missing_newline"},
        {"example.org/log\n7\n", "ledger.checkpoint_too_few_lines"},
        {"\n7\n" + root + "\n", "ledger.checkpoint_empty_origin"},
        {"o\n\n" + root + "\n", "ledger.checkpoint_size_not_decimal"},
        {"o\n-7\n" + root + "\n", "ledger.checkpoint_size_not_decimal"},
        {"o\n+7\n" + root + "\n", "ledger.checkpoint_size_not_decimal"},
        {"o\n7 \n" + root + "\n", "ledger.checkpoint_size_not_decimal"},
        {"o\n0x7\n" + root + "\n", "ledger.checkpoint_size_not_decimal"},
        {"o\n07\n" + root + "\n", "ledger.checkpoint_size_leading_zero"},
        {"o\n00\n" + root + "\n", "ledger.checkpoint_size_leading_zero"},
        {"o\n18446744073709551616\n" + root + "\n", "ledger.checkpoint_size_overflow"},
        {"o\n99999999999999999999999\n" + root + "\n", "ledger.checkpoint_size_overflow"},
        {"o\n7\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU\n",
         "ledger.checkpoint_root_bad_base64"},
        {"o\n7\n47DEQpj8HBSa-_TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
         "ledger.checkpoint_root_bad_base64"},
        {"o\n7\n" + root + " \n", "ledger.checkpoint_root_bad_base64"},
        {"o\n7\nAAAA\n", "ledger.checkpoint_root_length"},
        {"o\n7\n\n", "ledger.checkpoint_root_length"},
        {"o\n7\n" + std::string(44, 'A') + "\n", "ledger.checkpoint_root_length"},  // 33 bytes
        {"o\n7\n" + root + "\n\n", "ledger.checkpoint_empty_extension"},
        {"o\n7\n" + root + "\next\n\nmore\n", "ledger.checkpoint_empty_extension"},
        {"o\r\n7\n" + root + "\n", "ledger.checkpoint_control_character"},
        {"o\t\n7\n" + root + "\n", "ledger.checkpoint_control_character"},
        {"o\xFF\n7\n" + root + "\n", "ledger.checkpoint_not_utf8"},
        {"o\xC0\xAF\n7\n" + root + "\n", "ledger.checkpoint_not_utf8"},       // overlong '/'
        {"o\xED\xA0\x80\n7\n" + root + "\n", "ledger.checkpoint_not_utf8"},   // surrogate
        {"o\xE2\x80\n7\n" + root + "\n", "ledger.checkpoint_not_utf8"},       // truncated
        {"o\n7\n" + root + "\n" + "\xF0\x9F", "ledger.checkpoint_not_utf8"},  // cut at the end
        {"o\n7\n" + root + "\n" + std::string(max_note_size, 'x') + "\n",
         "ledger.checkpoint_too_large"},
    };
    for (const auto& [text, code] : cases) {
        CAPTURE(text.substr(0, 80));
        CHECK(code_of_checkpoint(text) == code);
    }
    // Zero is written "0"; the largest 64-bit size parses.
    CHECK(parse_checkpoint("o\n0\n" + root + "\n")->tree_size == 0u);
    CHECK(parse_checkpoint("o\n18446744073709551615\n" + root + "\n")->tree_size ==
          18446744073709551615ull);
}

TEST_CASE("checkpoint: each malformed signed note has its own error code") {
    const std::string sig = junk_signature_line("example.org/log");
    REQUIRE(code_of_note(good_cp + "\n" + sig) == "ok");
    const std::pair<std::string, std::string> cases[] = {
        {good_cp + "\n" + sig.substr(0, sig.size() - 1), "ledger.note_missing_newline"},
        {"", "ledger.note_missing_newline"},
        {good_cp + sig, "ledger.note_missing_blank_line"},
        {good_cp + "\n", "ledger.note_no_signatures"},
        {good_cp + "\n" + sig.substr(em_dash.size()), "ledger.note_signature_prefix"},
        {good_cp + "\n- example.org/log AAAAAAAA\n", "ledger.note_signature_prefix"},
        {good_cp + "\n" + em_dash + "example.org/log AAAAAAAA\n", "ledger.note_signature_prefix"},
        {good_cp + "\n" + sig + "x\n", "ledger.note_signature_prefix"},
        {good_cp + "\n" + em_dash + " example.org/log\n", "ledger.note_signature_malformed"},
        {good_cp + "\n" + em_dash + "  AAAAAAAA\n", "ledger.note_bad_key_name"},
        {good_cp + "\n" + em_dash + " a+b AAAAAAAA\n", "ledger.note_bad_key_name"},
        {good_cp + "\n" + em_dash + " a\xC2\xA0" + "b AAAAAAAA\n", "ledger.note_bad_key_name"},
        {good_cp + "\n" + em_dash + " a\xE3\x80\x80" + "b AAAAAAAA\n", "ledger.note_bad_key_name"},
        {good_cp + "\n" + em_dash + " k \n", "ledger.note_signature_bad_base64"},
        {good_cp + "\n" + em_dash + " k AAAAAAA\n", "ledger.note_signature_bad_base64"},
        {good_cp + "\n" + em_dash + " k AAAA AAAA\n", "ledger.note_signature_bad_base64"},
        {good_cp + "\n" + em_dash + " k AAAAAA==\n", "ledger.note_signature_too_short"},
        {good_cp + "\n" + em_dash + " k AAAAAA=\n", "ledger.note_signature_bad_base64"},
        {good_cp + "\n" + em_dash + " k AAAA\n", "ledger.note_signature_too_short"},
        {good_cp + "\n" + sig + "\r\n", "ledger.note_control_character"},
        {"o\x01\n\n" + sig, "ledger.note_control_character"},
        {"o\xFE\n\n" + sig, "ledger.note_not_utf8"},
        {"o\n\n" + em_dash.substr(0, 2) + " k AAAAAAAA\n", "ledger.note_not_utf8"},
        {std::string(max_note_size, 'x') + "\n\n" + sig, "ledger.note_too_large"},
    };
    for (const auto& [text, code] : cases) {
        CAPTURE(text.substr(0, 120));
        CHECK(code_of_note(text) == code);
    }
    // At most max_note_signatures signature lines.
    std::string many = good_cp + "\n";
    for (std::size_t i = 0; i < max_note_signatures; ++i)
        many += junk_signature_line("k" + std::to_string(i));
    CHECK(code_of_note(many) == "ok");
    CHECK(code_of_note(many + junk_signature_line("one.more")) ==
          "ledger.note_too_many_signatures");
    // The smallest accepted signature: key id and one byte.
    auto five = parse_signed_note(good_cp + "\n" + em_dash + " k AAAAAAE=\n");
    REQUIRE(five.ok());
    CHECK(five->signatures[0].signature == bytes{0x01});
}

TEST_CASE("checkpoint: each malformed verifier key has its own error code") {
    auto key = seeded_key(3);
    std::string good = note_verifier_key("example.org/log", key.public_key());
    REQUIRE(code_of_vkey(good) == "ok");
    std::string id = good.substr(good.find('+') + 1, 8);
    std::string b64 = good.substr(good.rfind('+') + 1);
    bytes raw(key.public_key().raw().begin(), key.public_key().raw().end());
    bytes wrong_alg{0x02};
    wrong_alg.insert(wrong_alg.end(), raw.begin(), raw.end());
    bytes short_key{0x01};
    short_key.insert(short_key.end(), raw.begin(), raw.end() - 1);
    std::uint32_t other_id = note_key_id("example.org/log", key.public_key()) ^ 1u;
    char other_hex[9];
    std::snprintf(other_hex, sizeof other_hex, "%08x", other_id);
    const std::pair<std::string, std::string> cases[] = {
        {"example.org/log+" + id, "ledger.note_verifier_malformed"},
        {"example.org/log", "ledger.note_verifier_malformed"},
        {good + "+x", "ledger.note_verifier_malformed"},
        {"+" + id + "+" + b64, "ledger.note_verifier_bad_name"},
        {"a b+" + id + "+" + b64, "ledger.note_verifier_bad_name"},
        {"example.org/log+" + id.substr(1) + "+" + b64, "ledger.note_verifier_bad_key_id"},
        {"example.org/log+0x" + id.substr(2) + "+" + b64, "ledger.note_verifier_bad_key_id"},
        {"example.org/log+" + id + "+" + b64.substr(1), "ledger.note_verifier_bad_base64"},
        {"example.org/log+" + id + "+" + to_base64(wrong_alg),
         "ledger.note_verifier_unknown_algorithm"},
        {"example.org/log+" + id + "+", "ledger.note_verifier_unknown_algorithm"},
        {"example.org/log+" + id + "+" + to_base64(short_key),
         "ledger.note_verifier_bad_key_length"},
        {"example.org/log+" + std::string(other_hex) + "+" + b64,
         "ledger.note_verifier_key_id_mismatch"},
        {"other.org/log+" + id + "+" + b64, "ledger.note_verifier_key_id_mismatch"},
        {std::string(5000, 'a') + "+" + id + "+" + b64, "ledger.note_verifier_too_large"},
    };
    for (const auto& [text, code] : cases) {
        CAPTURE(text.substr(0, 120));
        CHECK(code_of_vkey(text) == code);
    }
    // The key id is lower-case hex, as produced (the Go reference vector's id has letters).
    CHECK(code_of_vkey("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") ==
          "ledger.note_verifier_bad_key_id");
    CHECK(code_of_vkey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") ==
          "ok");
}

TEST_CASE("checkpoint: a signature by another key is rejected") {
    auto mine = seeded_key(10), other = seeded_key(11);
    checkpoint cp{"example.org/log", 5, merkle_leaf_hash(as_bytes("r")), {}};
    // Signed by another key under the same name: a different key id, so no signature by mine.
    std::string by_other = sign_checkpoint(cp, cp.origin, other);
    auto r = open_signed_checkpoint(by_other, verifier_of(cp.origin, mine));
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "ledger.note_unknown_key");
    // Another key's signature bytes under my name and key id: it must fail to verify.
    signed_note forged = sign_note(cp.note_text(), cp.origin, other);
    forged.signatures[0].key_id = note_key_id(cp.origin, mine.public_key());
    auto f = open_signed_checkpoint(forged.serialize(), verifier_of(cp.origin, mine));
    REQUIRE_FALSE(f.ok());
    CHECK(f.err().code == "ledger.note_bad_signature");
    // Signed by my key under another name: not a signature by this verifier.
    CHECK(open_signed_checkpoint(sign_checkpoint(cp, "other.org/log", mine),
                                 verifier_of(cp.origin, mine))
              .err()
              .code == "ledger.note_unknown_key");
}

TEST_CASE("checkpoint: a note signed by two keys verifies with either, unknown keys are ignored") {
    auto a = seeded_key(20), b = seeded_key(21), c = seeded_key(22);
    std::string text = good_cp;
    signed_note note = sign_note(text, "a.example/log", a);
    note.signatures.push_back(sign_note(text, "b.example/witness", b).signatures[0]);
    auto parsed = parse_signed_note(note.serialize());
    REQUIRE(parsed.ok());
    REQUIRE(parsed->signatures.size() == 2);
    CHECK(verify_note(*parsed, verifier_of("a.example/log", a)).ok());
    CHECK(verify_note(*parsed, verifier_of("b.example/witness", b)).ok());
    CHECK(verify_note(*parsed, verifier_of("c.example/log", c)).err().code ==
          "ledger.note_unknown_key");

    // Unknown signatures of any length (here a 72-byte cosignature-like one, and one that
    // shares only the name with a's key) are ignored.
    std::string wire = sign_note(text, "a.example/log", a).serialize() +
                       junk_signature_line("witness.example/w1", 4 + 72) +
                       junk_signature_line("a.example/log", 4 + 64);
    auto w = parse_signed_note(wire);
    REQUIRE(w.ok());
    REQUIRE(w->signatures.size() == 3);
    REQUIRE(w->signatures[2].key_id != note_key_id("a.example/log", a.public_key()));
    CHECK(verify_note(*w, verifier_of("a.example/log", a)).ok());
    // A second signature line by the known key that does not verify rejects the note.
    signed_note twice = *w;
    twice.signatures.push_back(twice.signatures[0]);
    twice.signatures.back().signature[0] ^= 1;
    CHECK(verify_note(twice, verifier_of("a.example/log", a)).err().code ==
          "ledger.note_bad_signature");
}

TEST_CASE("checkpoint: tampered text or signature is rejected") {
    auto key = seeded_key(30);
    checkpoint cp{"example.org/log", 42, merkle_leaf_hash(as_bytes("root")), {"ext"}};
    std::string wire = sign_checkpoint(cp, cp.origin, key);
    auto v = verifier_of(cp.origin, key);
    REQUIRE(open_signed_checkpoint(wire, v).ok());
    std::string tampered = wire;
    tampered[tampered.find("\n42\n") + 2] = '3';  // tree size 42 -> 43
    CHECK(open_signed_checkpoint(tampered, v).err().code == "ledger.note_bad_signature");
    // Every single-byte change anywhere in the serialized note is refused, never accepted
    // with a different checkpoint.
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < wire.size(); ++i) {
        for (std::uint8_t delta : {0x01, 0x20, 0x80}) {
            std::string t = wire;
            t[i] = static_cast<char>(static_cast<std::uint8_t>(t[i]) ^ delta);
            auto r = open_signed_checkpoint(t, v);
            if (r.ok()) {
                ++accepted;
                CHECK(*r == cp);
            }
        }
    }
    CHECK(accepted == 0);
    // Every truncation is refused too.
    for (std::size_t n = 0; n < wire.size(); ++n)
        CHECK_FALSE(open_signed_checkpoint(std::string_view(wire).substr(0, n), v).ok());
}

TEST_CASE("checkpoint: a validly signed note with a malformed checkpoint body is refused") {
    auto key = seeded_key(40);
    std::string wire =
        sign_note("o\n07\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "o", key).serialize();
    CHECK(open_signed_checkpoint(wire, verifier_of("o", key)).err().code ==
          "ledger.checkpoint_size_leading_zero");
}

TEST_CASE("checkpoint: key names") {
    CHECK(note_key_name_valid("example.org/log"));
    CHECK(note_key_name_valid("\xD0\xB0\xD0\xB2"));  // Cyrillic is fine
    CHECK_FALSE(note_key_name_valid(""));
    CHECK_FALSE(note_key_name_valid("a b"));
    CHECK_FALSE(note_key_name_valid("a+b"));
    CHECK_FALSE(note_key_name_valid("a\tb"));
    CHECK_FALSE(
        note_key_name_valid("a\xE2\x80\x83"
                            "b"));  // em space
    CHECK_FALSE(note_key_name_valid("a\xFF"));
}
