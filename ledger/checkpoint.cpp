#include "ledger/checkpoint.h"

#include <cstdio>

namespace ballotbox::ledger {
namespace {

constexpr std::string_view em_dash_space = "\xE2\x80\x94 ";  // U+2014 then U+0020

error fail(std::string code, std::string message) {
    return make_error("ledger." + std::move(code), std::move(message));
}

// Decodes one UTF-8 code point starting at text[i] (i < size). Strict: no overlong forms,
// no surrogates, nothing above U+10FFFF. Returns the length (1..4), or 0 if malformed;
// never looks at bytes past the end of text.
std::size_t utf8_decode(std::string_view text, std::size_t i, char32_t& cp) {
    auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    std::uint8_t b0 = byte(i);
    std::size_t len;
    char32_t min;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (text.size() - i < len)
        return 0;
    for (std::size_t k = 1; k < len; ++k) {
        std::uint8_t b = byte(i + k);
        if ((b & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

// The Unicode White_Space characters (what Go's unicode.IsSpace reports).
bool is_unicode_space(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

// Valid UTF-8 with no ASCII control character other than newline (C2SP signed-note).
status check_text(std::string_view text, std::string_view what) {
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp;
        std::size_t n = utf8_decode(text, i, cp);
        if (n == 0)
            return fail(
                std::string(what) + "_not_utf8",
                "the " + std::string(what) + " is not valid UTF-8 at byte " + std::to_string(i));
        if (cp < 0x20 && cp != '\n')
            return fail(std::string(what) + "_control_character",
                        "the " + std::string(what) + " has control character " +
                            std::to_string(cp) + " at byte " + std::to_string(i));
        i += n;
    }
    return ok_status();
}

std::uint32_t read_be32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 |
           std::uint32_t{p[3]};
}

std::string hex8(std::uint32_t v) {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", v);
    return buf;
}

bool is_origin_component(std::string_view s) {
    if (s.empty() || s.size() > 64)
        return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

}  // namespace

bool note_key_name_valid(std::string_view name) {
    if (name.empty())
        return false;
    for (std::size_t i = 0; i < name.size();) {
        char32_t cp;
        std::size_t n = utf8_decode(name, i, cp);
        if (n == 0 || cp < 0x20 || cp == '+' || is_unicode_space(cp))
            return false;
        i += n;
    }
    return true;
}

// ---- checkpoints ---------------------------------------------------------------------

std::string checkpoint::note_text() const {
    std::string out = origin + "\n" + std::to_string(tree_size) + "\n" + to_base64(root) + "\n";
    for (const auto& line : extensions)
        out += line + "\n";
    return out;
}

result<checkpoint> parse_checkpoint(std::string_view text) {
    if (text.size() > max_note_size)
        return fail("checkpoint_too_large", "the checkpoint is " + std::to_string(text.size()) +
                                                " bytes, more than the limit of " +
                                                std::to_string(max_note_size));
    BALLOTBOX_TRY(check_text(text, "checkpoint"));
    if (text.empty() || text.back() != '\n')
        return fail("checkpoint_missing_newline", "the checkpoint text does not end in a newline");

    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);  // found: text ends in '\n'
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    if (lines.size() < 3)
        return fail(
            "checkpoint_too_few_lines",
            "a checkpoint needs an origin, a tree size and a root hash line; this one has " +
                std::to_string(lines.size()) + " line(s)");

    checkpoint cp;
    if (lines[0].empty())
        return fail("checkpoint_empty_origin", "the checkpoint origin is empty");
    cp.origin = std::string(lines[0]);

    std::string_view size = lines[1];
    if (size.empty())
        return fail("checkpoint_size_not_decimal", "the checkpoint tree size line is empty");
    for (char c : size)
        if (c < '0' || c > '9')
            return fail("checkpoint_size_not_decimal",
                        "the checkpoint tree size is not a decimal number");
    if (size.size() > 1 && size[0] == '0')
        return fail("checkpoint_size_leading_zero", "the checkpoint tree size has a leading zero");
    std::uint64_t n = 0;
    for (char c : size) {
        std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (n > (UINT64_MAX - d) / 10)
            return fail("checkpoint_size_overflow",
                        "the checkpoint tree size does not fit in 64 bits");
        n = n * 10 + d;
    }
    cp.tree_size = n;

    auto root = from_base64(lines[2]);
    if (!root.ok())
        return fail("checkpoint_root_bad_base64",
                    "the checkpoint root hash is not canonical base64: " + root.err().message);
    if (root->size() != cp.root.size())
        return fail("checkpoint_root_length", "the checkpoint root hash is " +
                                                  std::to_string(root->size()) +
                                                  " bytes, not the 32 of a SHA-256 hash");
    std::copy(root->begin(), root->end(), cp.root.begin());

    for (std::size_t i = 3; i < lines.size(); ++i) {
        if (lines[i].empty())
            return fail("checkpoint_empty_extension",
                        "checkpoint line " + std::to_string(i + 1) + " is an empty extension line");
        cp.extensions.emplace_back(lines[i]);
    }
    return cp;
}

result<std::string> checkpoint_origin(std::string_view election_id, std::string_view station_id,
                                      const crypto::ed25519_public_key& device_key) {
    if (!is_origin_component(election_id) || !is_origin_component(station_id))
        return fail("checkpoint_origin_bad_component",
                    "election and station ids in a checkpoint origin must be 1 to 64 of "
                    "A-Z a-z 0-9 - _ .");
    auto id = crypto::sha256(device_key.raw());
    return "ballotbox.kz/" + std::string(election_id) + "/station/" + std::string(station_id) +
           "/device/" + to_hex(byte_view(id).first(4));
}

// ---- signed notes --------------------------------------------------------------------

std::string signed_note::serialize() const {
    std::string out = text + "\n";
    for (const auto& sig : signatures) {
        bytes blob{static_cast<std::uint8_t>(sig.key_id >> 24),
                   static_cast<std::uint8_t>(sig.key_id >> 16),
                   static_cast<std::uint8_t>(sig.key_id >> 8),
                   static_cast<std::uint8_t>(sig.key_id)};
        blob.insert(blob.end(), sig.signature.begin(), sig.signature.end());
        out += std::string(em_dash_space) + sig.key_name + " " + to_base64(blob) + "\n";
    }
    return out;
}

result<signed_note> parse_signed_note(std::string_view serialized) {
    if (serialized.size() > max_note_size)
        return fail("note_too_large", "the signed note is " + std::to_string(serialized.size()) +
                                          " bytes, more than the limit of " +
                                          std::to_string(max_note_size));
    BALLOTBOX_TRY(check_text(serialized, "note"));
    if (serialized.empty() || serialized.back() != '\n')
        return fail("note_missing_newline", "the signed note does not end in a newline");
    // The text ends at the last empty line (C2SP signed-note); the signatures follow it.
    std::size_t split = serialized.rfind("\n\n");
    if (split == std::string_view::npos)
        return fail("note_missing_blank_line",
                    "the signed note has no empty line between its text and its signatures");
    signed_note note;
    note.text = std::string(serialized.substr(0, split + 1));
    std::string_view rest = serialized.substr(split + 2);
    if (rest.empty())
        return fail("note_no_signatures", "the signed note has no signature lines");

    std::size_t line_no = 0;
    while (!rest.empty()) {
        ++line_no;
        std::size_t end = rest.find('\n');  // found: the note ends in '\n'
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end + 1);
        std::string where = "signature line " + std::to_string(line_no);
        if (line_no > max_note_signatures)
            return fail("note_too_many_signatures", "the signed note has more than " +
                                                        std::to_string(max_note_signatures) +
                                                        " signatures");
        if (!line.starts_with(em_dash_space))
            return fail("note_signature_prefix", where +
                                                     " does not start with an em dash (U+2014) "
                                                     "and a space");
        line.remove_prefix(em_dash_space.size());
        std::size_t space = line.find(' ');
        if (space == std::string_view::npos)
            return fail("note_signature_malformed",
                        where + " has no space between the key name and the signature");
        std::string_view name = line.substr(0, space);
        std::string_view b64 = line.substr(space + 1);
        if (!note_key_name_valid(name))
            return fail("note_bad_key_name",
                        where + " has a key name that is empty or has a space or '+'");
        auto blob = from_base64(b64);
        if (b64.empty() || !blob.ok())
            return fail("note_signature_bad_base64",
                        where + " has a signature that is not canonical base64");
        if (blob->size() < 5)
            return fail("note_signature_too_short",
                        where + " has a signature shorter than a key id and one byte");
        note_signature sig;
        sig.key_name = std::string(name);
        sig.key_id = read_be32(blob->data());
        sig.signature.assign(blob->begin() + 4, blob->end());
        note.signatures.push_back(std::move(sig));
    }
    return note;
}

std::uint32_t note_key_id(std::string_view key_name, const crypto::ed25519_public_key& key) {
    crypto::sha256_hasher h;
    h.update(as_bytes(key_name));
    h.update(std::uint8_t{0x0A});
    h.update(std::uint8_t{0x01});
    h.update(key.raw());
    return read_be32(h.finish().data());
}

std::string note_verifier_key(std::string_view key_name, const crypto::ed25519_public_key& key) {
    bytes blob{0x01};
    blob.insert(blob.end(), key.raw().begin(), key.raw().end());
    return std::string(key_name) + "+" + hex8(note_key_id(key_name, key)) + "+" + to_base64(blob);
}

result<note_verifier> parse_note_verifier_key(std::string_view vkey) {
    if (vkey.size() > 4096)
        return fail("note_verifier_too_large", "the verifier key is longer than 4096 bytes");
    std::size_t p1 = vkey.find('+');
    std::size_t p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
    if (p2 == std::string_view::npos || vkey.find('+', p2 + 1) != std::string_view::npos)
        return fail("note_verifier_malformed",
                    "a verifier key has the form <name>+<8 hex digits>+<base64 key>");
    std::string_view name = vkey.substr(0, p1);
    std::string_view id_hex = vkey.substr(p1 + 1, p2 - p1 - 1);
    std::string_view key_b64 = vkey.substr(p2 + 1);
    if (!note_key_name_valid(name))
        return fail("note_verifier_bad_name", "the verifier key's name is empty or has a space");
    bool hex_ok = id_hex.size() == 8;
    for (char c : id_hex)
        hex_ok = hex_ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!hex_ok)
        return fail("note_verifier_bad_key_id",
                    "the verifier key's id is not 8 lower-case hex digits");
    auto id = from_hex(id_hex);
    auto blob = from_base64(key_b64);
    if (!blob.ok())
        return fail("note_verifier_bad_base64", "the verifier key's key is not canonical base64");
    if (blob->empty() || (*blob)[0] != 0x01)
        return fail("note_verifier_unknown_algorithm",
                    "the verifier key is not an Ed25519 key (algorithm byte 0x01)");
    if (blob->size() != 33)
        return fail("note_verifier_bad_key_length",
                    "the verifier key's Ed25519 key is not 32 bytes long");
    auto key = crypto::ed25519_public_key::from_raw(byte_view(*blob).subspan(1));
    if (!key.ok())
        return fail("note_verifier_bad_key",
                    "the verifier key is not a usable Ed25519 key: " + key.err().message);
    if (note_key_id(name, *key) != read_be32(id->data()))
        return fail("note_verifier_key_id_mismatch",
                    "the verifier key's id does not match its name and key");
    return note_verifier{std::string(name), std::move(*key)};
}

signed_note sign_note(std::string text, std::string_view key_name,
                      const crypto::ed25519_private_key& key) {
    auto sig = key.sign(as_bytes(text));
    signed_note note{std::move(text), {}};
    note.signatures.push_back(note_signature{std::string(key_name),
                                             note_key_id(key_name, key.public_key()),
                                             bytes(sig.begin(), sig.end())});
    return note;
}

status verify_note(const signed_note& note, const note_verifier& verifier) {
    std::uint32_t id = note_key_id(verifier.key_name, verifier.key);
    bool verified = false;
    for (const auto& sig : note.signatures) {
        if (sig.key_name != verifier.key_name || sig.key_id != id)
            continue;  // unknown key
        if (sig.signature.size() != 64 || !verifier.key.verify(as_bytes(note.text), sig.signature))
            return fail("note_bad_signature", "the signature by " + verifier.key_name + "+" +
                                                  hex8(id) +
                                                  " does not verify: the note was "
                                                  "altered or signed by another key");
        verified = true;
    }
    if (!verified)
        return fail("note_unknown_key", "the note carries no signature by the expected key " +
                                            verifier.key_name + "+" + hex8(id));
    return ok_status();
}

std::string sign_checkpoint(const checkpoint& cp, std::string_view key_name,
                            const crypto::ed25519_private_key& key) {
    return sign_note(cp.note_text(), key_name, key).serialize();
}

result<checkpoint> open_signed_checkpoint(std::string_view serialized,
                                          const note_verifier& verifier) {
    auto note = parse_signed_note(serialized);
    if (!note.ok())
        return note.err();
    BALLOTBOX_TRY(verify_note(*note, verifier));
    return parse_checkpoint(note->text);
}

}  // namespace ballotbox::ledger
