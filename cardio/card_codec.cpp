#include "cardio/card_codec.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "cardio/card_fields.h"

namespace ballotbox::cardio {
namespace {

constexpr std::string_view checksum_domain = "ballotbox/card-record/checksum/v1";
constexpr std::uint8_t magic[4] = {card_commit_byte, 'B', 'c', 'r'};

// Body length bounds per state (docs/card-format.md, "Lengths").
constexpr std::size_t issued_min = 32 + 1 + 1 + 1 + 2 + token_size + 32;  // 85
constexpr std::size_t issued_max =
    32 + 1 + max_station_id_length + 1 + 2 * max_races + token_size + 32;   // 130
constexpr std::size_t vote_fixed = 32 + 64;                                 // booth id, signature
constexpr std::size_t voted_min = issued_min + 2 + vote_fixed;              // 183
constexpr std::size_t voted_max = issued_max + 2 * max_races + vote_fixed;  // 242
static_assert(card_header_size + voted_max + card_checksum_size == max_card_record_size);

// A cursor over a bounded span: every read checks the bound first.
class reader {
  public:
    explicit reader(byte_view data) : data_(data) {}
    std::optional<byte_view> take(std::size_t n) {
        if (n > data_.size() - pos_)
            return std::nullopt;
        auto out = data_.subspan(pos_, n);
        pos_ += n;
        return out;
    }
    std::optional<std::uint8_t> byte() {
        auto b = take(1);
        if (!b)
            return std::nullopt;
        return (*b)[0];
    }
    bool at_end() const { return pos_ == data_.size(); }

  private:
    byte_view data_;
    std::size_t pos_ = 0;
};

error body_mismatch() {
    return make_error("card.body_length_mismatch",
                      "The card's record is inconsistent: its fields do not fill its declared "
                      "length exactly. Set the card aside and call the chair.");
}

template <std::size_t N>
bool copy_into(reader& in, std::array<std::uint8_t, N>& out) {
    auto b = in.take(N);
    if (!b)
        return false;
    std::copy(b->begin(), b->end(), out.begin());
    return true;
}

result<issued_card> parse_issued(reader& in) {
    issued_card card;
    if (!copy_into(in, card.issue.election_id))
        return body_mismatch();
    auto station_length = in.byte();
    if (!station_length)
        return body_mismatch();
    auto station = in.take(*station_length);
    if (!station)
        return body_mismatch();
    card.issue.station_id = std::string(as_chars(*station));
    BALLOTBOX_TRY(check_station_id(card.issue.station_id));
    auto race_count = in.byte();
    if (!race_count)
        return body_mismatch();
    if (*race_count == 0 || *race_count > max_races)
        return bad_style("it carries " + std::to_string(*race_count) + " races (1 to " +
                         std::to_string(max_races) + " allowed)");
    for (std::size_t i = 0; i < *race_count; ++i) {
        auto race = in.byte();
        auto count = in.byte();
        if (!race || !count)
            return body_mismatch();
        card.issue.style.push_back({*race, *count});
    }
    BALLOTBOX_TRY(check_style(card.issue.style));
    if (!copy_into(in, card.issue.token) || !copy_into(in, card.mac))
        return body_mismatch();
    return card;
}

result<voted_card> parse_voted(reader& in) {
    auto issued = parse_issued(in);
    if (!issued)
        return issued.err();
    voted_card card;
    card.issued = std::move(*issued);
    for (std::size_t i = 0; i < card.issued.issue.style.size(); ++i) {
        auto kind = in.byte();
        auto option = in.byte();
        if (!kind || !option)
            return body_mismatch();
        card.choices.push_back({static_cast<choice_kind>(*kind), *option});
    }
    BALLOTBOX_TRY(check_choices(card.issued.issue.style, card.choices));
    if (!copy_into(in, card.booth) || !copy_into(in, card.signature))
        return body_mismatch();
    return card;
}

void put_issued(bytes& out, const issued_card& card) {
    encode_issue_data(out, card.issue);
    out.insert(out.end(), card.mac.begin(), card.mac.end());
}

}  // namespace

crypto::digest card_record_checksum(byte_view header_and_body) {
    crypto::sha256_hasher h;
    h.update(as_bytes(checksum_domain)).update(header_and_body);
    return h.finish();
}

result<std::size_t> card_record_size(byte_view header) {
    if (header.size() < card_header_size)
        return make_error("card.truncated",
                          "The card's record ends before its header is complete. Take the card "
                          "out and insert it again.");
    if (header[0] == card_open_byte && std::equal(magic + 1, magic + 4, header.begin() + 1))
        return make_error("card.torn_write",
                          "Writing to this card was interrupted (it was pulled out too early). "
                          "Insert it again so it can be cleared; do not give it to a voter.");
    if (!std::equal(magic, magic + 4, header.begin()))
        return make_error("card.bad_magic",
                          "This card does not hold a ballot-card record (wrong card, or never "
                          "prepared). Use a card prepared for this polling station.");
    if (header[4] != card_record_version)
        return make_error("card.unsupported_version",
                          "The card's record has format version " + std::to_string(header[4]) +
                              "; this ballot box reads version " +
                              std::to_string(card_record_version) +
                              ". Use a card prepared for this election.");
    std::size_t length = (std::size_t{header[6]} << 8) | header[7];
    std::size_t low = 0, high = 0;
    switch (header[5]) {
        case static_cast<std::uint8_t>(card_state::blank):
            break;
        case static_cast<std::uint8_t>(card_state::issued):
            low = issued_min, high = issued_max;
            break;
        case static_cast<std::uint8_t>(card_state::voted):
            low = voted_min, high = voted_max;
            break;
        default:
            return make_error("card.bad_state", "The card's record has an unknown state (" +
                                                    std::to_string(header[5]) +
                                                    "). Set the card aside and call the chair.");
    }
    if (length < low || length > high)
        return make_error("card.length_out_of_range",
                          "The card's record declares a body of " + std::to_string(length) +
                              " bytes, outside " + std::to_string(low) + ".." +
                              std::to_string(high) +
                              " for its state. Set the card aside and call the chair.");
    return card_header_size + length + card_checksum_size;
}

result<card_record> parse_card_image(byte_view image) {
    auto size = card_record_size(image);
    if (!size)
        return size.err();
    if (image.size() < *size)
        return make_error("card.truncated",
                          "The card's record is shorter than its header says. Take the card out "
                          "and insert it again.");
    auto covered = image.first(*size - card_checksum_size);
    auto checksum = card_record_checksum(covered);
    if (!std::equal(checksum.begin(), checksum.end(), image.begin() + covered.size()))
        return make_error("card.checksum_mismatch",
                          "The card's record is damaged (its checksum does not match). Insert "
                          "it again; if this repeats, set the card aside and call the chair.");
    reader in(covered.subspan(card_header_size));
    card_record record;
    switch (static_cast<card_state>(image[5])) {
        case card_state::blank:
            record = blank_card{};
            break;
        case card_state::issued: {
            auto issued = parse_issued(in);
            if (!issued)
                return issued.err();
            record = std::move(*issued);
            break;
        }
        case card_state::voted: {
            auto voted = parse_voted(in);
            if (!voted)
                return voted.err();
            record = std::move(*voted);
            break;
        }
    }
    if (!in.at_end())
        return body_mismatch();
    return record;
}

result<card_record> parse_card_record(byte_view data) {
    auto record = parse_card_image(data);
    if (!record)
        return record;
    if (data.size() != card_record_size(data).value())
        return make_error("card.trailing_garbage",
                          "There are extra bytes after the card's record. Set the card aside "
                          "and call the chair.");
    return record;
}

result<bytes> encode_card_record(const card_record& record) {
    bytes body;
    if (auto* issued = std::get_if<issued_card>(&record)) {
        BALLOTBOX_TRY(check_issue_data(issued->issue));
        put_issued(body, *issued);
    } else if (auto* voted = std::get_if<voted_card>(&record)) {
        BALLOTBOX_TRY(check_issue_data(voted->issued.issue));
        BALLOTBOX_TRY(check_choices(voted->issued.issue.style, voted->choices));
        put_issued(body, voted->issued);
        for (const auto& c : voted->choices) {
            body.push_back(static_cast<std::uint8_t>(c.kind));
            body.push_back(c.option);
        }
        body.insert(body.end(), voted->booth.begin(), voted->booth.end());
        body.insert(body.end(), voted->signature.begin(), voted->signature.end());
    }
    bytes out(magic, magic + 4);
    out.push_back(card_record_version);
    out.push_back(static_cast<std::uint8_t>(state_of(record)));
    out.push_back(static_cast<std::uint8_t>(body.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(body.size() & 0xff));
    out.insert(out.end(), body.begin(), body.end());
    auto checksum = card_record_checksum(out);
    out.insert(out.end(), checksum.begin(), checksum.end());
    return out;
}

}  // namespace ballotbox::cardio
