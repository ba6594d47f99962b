#include "protocol/qr_payload.h"

#include <algorithm>
#include <map>

#include "common/bytes.h"
#include "crypto/sha256.h"

namespace ballotbox::protocol {
namespace {

constexpr std::string_view qr_domain = "ballotbox/protocol-qr/v1";
constexpr std::uint8_t payload_version = 1;
constexpr std::size_t max_string = 255;

class writer {
  public:
    void u8(std::uint8_t v) { out.push_back(v); }
    void uint(std::uint64_t v) {
        do {
            std::uint8_t b = v & 0x7f;
            v >>= 7;
            out.push_back(static_cast<std::uint8_t>(b | (v ? 0x80 : 0)));
        } while (v);
    }
    void raw(byte_view b) { out.insert(out.end(), b.begin(), b.end()); }
    bool str(std::string_view s) {
        if (s.size() > max_string)
            return false;
        uint(s.size());
        raw(as_bytes(s));
        return true;
    }
    bytes out;
};

class reader {
  public:
    explicit reader(byte_view d) : d_(d) {}
    result<std::uint8_t> u8() {
        if (pos_ >= d_.size())
            return truncated();
        return d_[pos_++];
    }
    result<std::uint64_t> uint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            BALLOTBOX_ASSIGN_OR_RETURN(auto b, u8());
            if (shift > 0 && b == 0)
                return bad("a number is not in its shortest form");
            v |= std::uint64_t{b & 0x7fu} << shift;
            if ((b & 0x80) == 0) {
                if (v > (std::uint64_t{1} << 48))
                    return bad("a number is too large");
                return v;
            }
        }
        return bad("a number is too long");
    }
    template <std::size_t N>
    result<std::array<std::uint8_t, N>> fixed() {
        if (d_.size() - pos_ < N)
            return truncated();
        std::array<std::uint8_t, N> a{};
        std::copy_n(d_.begin() + static_cast<std::ptrdiff_t>(pos_), N, a.begin());
        pos_ += N;
        return a;
    }
    result<std::string> str() {
        BALLOTBOX_ASSIGN_OR_RETURN(auto n, uint());
        if (n > max_string)
            return bad("a text is too long");
        if (d_.size() - pos_ < n)
            return truncated();
        std::string s(reinterpret_cast<const char*>(d_.data()) + pos_, n);
        pos_ += n;
        return s;
    }
    std::size_t pos() const { return pos_; }
    static error bad(const std::string& why) {
        return make_error("protocol.qr_bad_field",
                          "The QR codes' content is malformed: " + why + ".");
    }

  private:
    static error truncated() {
        return make_error("protocol.qr_truncated", "The QR codes' content ends too early.");
    }
    byte_view d_;
    std::size_t pos_ = 0;
};

std::string to_base64url(byte_view b) {
    auto s = to_base64(b);
    while (!s.empty() && s.back() == '=')
        s.pop_back();
    for (auto& c : s)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    return s;
}

result<bytes> from_base64url(std::string_view t) {
    std::string s(t);
    for (auto& c : s) {
        if (c == '+' || c == '/' || c == '=')
            return make_error("protocol.qr_bad_base64", "The QR codes' text is not base64url.");
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    while (s.size() % 4 != 0)
        s.push_back('=');
    auto b = from_base64(s);
    if (!b)
        return make_error("protocol.qr_bad_base64", "The QR codes' text is not base64url.");
    return b;
}

bytes signed_input(byte_view body) {
    bytes m(qr_domain.begin(), qr_domain.end());
    m.push_back(0);
    m.insert(m.end(), body.begin(), body.end());
    return m;
}

result<std::uint64_t> parse_decimal(std::string_view s) {
    if (s.empty() || s.size() > 3 || s[0] == '0')
        return make_error("protocol.qr_bad_part", "A QR code's part number is malformed.");
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return make_error("protocol.qr_bad_part", "A QR code's part number is malformed.");
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

}  // namespace

std::string short_digest(std::string_view protocol_json) {
    auto hex = to_hex(crypto::sha256(as_bytes(protocol_json))).substr(0, 16);
    return hex.substr(0, 4) + " " + hex.substr(4, 4) + " " + hex.substr(8, 4) + " " +
           hex.substr(12, 4);
}

result<std::vector<std::string>> make_qr_texts(const protocol_document& d,
                                               std::string_view protocol_json,
                                               const crypto::ed25519_private_key& key,
                                               std::size_t chunk) {
    writer w;
    auto too_long =
        make_error("protocol.bad_value", "A text of the protocol is too long for the QR form.");
    w.u8(payload_version);
    w.u8(static_cast<std::uint8_t>(d.kind));
    w.u8(d.training ? 1 : 0);
    if (!w.str(d.election_id) || !w.str(d.station_id))
        return too_long;
    w.uint(static_cast<std::uint64_t>(d.station_number));
    w.uint(static_cast<std::uint64_t>(d.district_number));
    w.raw(crypto::sha256(as_bytes(protocol_json)));
    w.uint(d.ledger.tree_size);
    w.raw(d.ledger.root);
    for (int s = 24; s >= 0; s -= 8)
        w.u8(static_cast<std::uint8_t>(d.ledger.key_id >> s));
    w.raw(d.ledger.box_root);
    w.uint(d.ledger.box_size);
    w.uint(static_cast<std::uint64_t>(d.voters_on_list));
    w.uint(static_cast<std::uint64_t>(d.voters_added));
    w.uint(d.ballots.size());
    for (const auto& b : d.ballots) {
        if (!w.str(b.id))
            return too_long;
        for (auto v : {b.issued_station, b.issued_portable, b.cancelled, b.not_returned,
                       b.cast_station, b.cast_portable, b.took_part})
            w.uint(static_cast<std::uint64_t>(v));
        w.uint(b.options.size());
        for (const auto& o : b.options)
            w.uint(static_cast<std::uint64_t>(o.votes));
        w.uint(static_cast<std::uint64_t>(b.against_all));
        w.uint(static_cast<std::uint64_t>(b.blank));
        w.uint(static_cast<std::uint64_t>(b.turnout_basis_points));
    }
    w.uint(d.checks.size());
    for (const auto& c : d.checks) {
        if (!w.str(c.id))
            return too_long;
        w.u8(c.holds ? 1 : 0);
    }
    w.raw(key.public_key().raw());
    auto sig = key.sign(signed_input(w.out));
    w.raw(sig);
    auto text = to_base64url(w.out);
    if (chunk == 0)
        chunk = default_qr_chunk;
    std::size_t parts = (text.size() + chunk - 1) / chunk;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < parts; ++i)
        out.push_back(std::string(qr_prefix) + std::to_string(i + 1) + "/" + std::to_string(parts) +
                      ":" + text.substr(i * chunk, chunk));
    return out;
}

result<qr_contents> open_qr_texts(const std::vector<std::string>& texts) {
    if (texts.empty())
        return make_error("protocol.qr_no_codes", "No QR code text was given.");
    if (texts.size() > 99)
        return make_error("protocol.qr_bad_part", "More than 99 QR codes were given.");
    std::map<std::uint64_t, std::string> chunks;
    std::uint64_t total = 0;
    for (const auto& t : texts) {
        if (t.substr(0, qr_prefix.size()) != qr_prefix)
            return make_error(
                "protocol.qr_bad_prefix",
                "A QR code does not hold a ballotbox protocol (it does not start with \"BBP1:\").");
        auto rest = std::string_view(t).substr(qr_prefix.size());
        auto slash = rest.find('/');
        auto colon = rest.find(':');
        if (slash == std::string_view::npos || colon == std::string_view::npos || slash > colon)
            return make_error("protocol.qr_bad_part", "A QR code's part number is malformed.");
        BALLOTBOX_ASSIGN_OR_RETURN(auto part, parse_decimal(rest.substr(0, slash)));
        BALLOTBOX_ASSIGN_OR_RETURN(auto parts,
                                   parse_decimal(rest.substr(slash + 1, colon - slash - 1)));
        if (part > parts)
            return make_error("protocol.qr_bad_part", "A QR code says part " +
                                                          std::to_string(part) + " of " +
                                                          std::to_string(parts) + ".");
        if (total != 0 && parts != total)
            return make_error(
                "protocol.qr_parts_mismatch",
                "The QR codes do not belong together (they count different numbers of parts).");
        total = parts;
        if (!chunks.emplace(part, std::string(rest.substr(colon + 1))).second)
            return make_error("protocol.qr_duplicate_part",
                              "Part " + std::to_string(part) + " was given twice.");
    }
    for (std::uint64_t i = 1; i <= total; ++i)
        if (!chunks.contains(i))
            return make_error("protocol.qr_missing_part", "QR code part " + std::to_string(i) +
                                                              " of " + std::to_string(total) +
                                                              " is missing.");
    std::string text;
    for (const auto& [_, c] : chunks)
        text += c;
    BALLOTBOX_ASSIGN_OR_RETURN(auto data, from_base64url(text));
    if (data.size() < 32 + 64)
        return make_error("protocol.qr_truncated", "The QR codes' content ends too early.");

    reader r(data);
    qr_contents q;
    auto& d = q.document;
    BALLOTBOX_ASSIGN_OR_RETURN(auto version, r.u8());
    if (version != payload_version)
        return reader::bad("unknown version " + std::to_string(version));
    BALLOTBOX_ASSIGN_OR_RETURN(auto kind, r.u8());
    if (kind > 2)
        return reader::bad("unknown report kind");
    d.kind = static_cast<report_kind>(kind);
    BALLOTBOX_ASSIGN_OR_RETURN(auto training, r.u8());
    if (training > 1)
        return reader::bad("bad training flag");
    d.training = training == 1;
    BALLOTBOX_ASSIGN_OR_RETURN(d.election_id, r.str());
    BALLOTBOX_ASSIGN_OR_RETURN(d.station_id, r.str());
    BALLOTBOX_ASSIGN_OR_RETURN(auto number, r.uint());
    BALLOTBOX_ASSIGN_OR_RETURN(auto district, r.uint());
    d.station_number = static_cast<std::int64_t>(number);
    d.district_number = static_cast<std::int64_t>(district);
    BALLOTBOX_ASSIGN_OR_RETURN(q.protocol_sha256, r.fixed<32>());
    BALLOTBOX_ASSIGN_OR_RETURN(d.ledger.tree_size, r.uint());
    BALLOTBOX_ASSIGN_OR_RETURN(d.ledger.root, r.fixed<32>());
    BALLOTBOX_ASSIGN_OR_RETURN(auto kid, r.fixed<4>());
    d.ledger.key_id = (std::uint32_t{kid[0]} << 24) | (std::uint32_t{kid[1]} << 16) |
                      (std::uint32_t{kid[2]} << 8) | kid[3];
    BALLOTBOX_ASSIGN_OR_RETURN(d.ledger.box_root, r.fixed<32>());
    BALLOTBOX_ASSIGN_OR_RETURN(d.ledger.box_size, r.uint());
    BALLOTBOX_ASSIGN_OR_RETURN(auto on_list, r.uint());
    BALLOTBOX_ASSIGN_OR_RETURN(auto added, r.uint());
    d.voters_on_list = static_cast<std::int64_t>(on_list);
    d.voters_added = static_cast<std::int64_t>(added);
    BALLOTBOX_ASSIGN_OR_RETURN(auto nballots, r.uint());
    if (nballots == 0 || nballots > 8)
        return reader::bad("the number of ballots is out of range");
    for (std::uint64_t i = 0; i < nballots; ++i) {
        ballot_figures b;
        BALLOTBOX_ASSIGN_OR_RETURN(b.id, r.str());
        for (auto* v : {&b.issued_station, &b.issued_portable, &b.cancelled, &b.not_returned,
                        &b.cast_station, &b.cast_portable, &b.took_part}) {
            BALLOTBOX_ASSIGN_OR_RETURN(auto n, r.uint());
            *v = static_cast<std::int64_t>(n);
        }
        BALLOTBOX_ASSIGN_OR_RETURN(auto nopts, r.uint());
        if (nopts > 255)
            return reader::bad("too many options");
        for (std::uint64_t o = 0; o < nopts; ++o) {
            BALLOTBOX_ASSIGN_OR_RETURN(auto n, r.uint());
            b.options.push_back({"", static_cast<std::int64_t>(n)});
        }
        for (auto* v : {&b.against_all, &b.blank, &b.turnout_basis_points}) {
            BALLOTBOX_ASSIGN_OR_RETURN(auto n, r.uint());
            *v = static_cast<std::int64_t>(n);
        }
        if (b.turnout_basis_points > 10000)
            return reader::bad("turnout over 100 %");
        d.ballots.push_back(std::move(b));
    }
    BALLOTBOX_ASSIGN_OR_RETURN(auto nchecks, r.uint());
    if (nchecks > 32)
        return reader::bad("too many checks");
    for (std::uint64_t i = 0; i < nchecks; ++i) {
        check_result c;
        BALLOTBOX_ASSIGN_OR_RETURN(c.id, r.str());
        BALLOTBOX_ASSIGN_OR_RETURN(auto h, r.u8());
        if (h > 1)
            return reader::bad("bad check value");
        c.holds = h == 1;
        d.checks.push_back(std::move(c));
    }
    BALLOTBOX_ASSIGN_OR_RETURN(d.appliance_key, r.fixed<32>());
    auto body_end = r.pos();
    BALLOTBOX_ASSIGN_OR_RETURN(auto sig, r.fixed<64>());
    if (r.pos() != data.size())
        return make_error("protocol.qr_trailing_bytes",
                          "The QR codes' content has bytes after the signature.");
    auto key = crypto::ed25519_public_key::from_raw(d.appliance_key);
    if (!key || !key->verify(signed_input(byte_view(data.data(), body_end)), sig))
        return make_error(
            "protocol.qr_bad_signature",
            "The QR codes' signature does not verify: the printed result was altered or "
            "was not made by this appliance key.");
    return q;
}

}  // namespace ballotbox::protocol
