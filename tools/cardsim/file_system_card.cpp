#include "tools/cardsim/file_system_card.h"

#include <algorithm>
#include <utility>

#include "tools/cardsim/iso7816.h"

namespace ballotbox::cardsim {
namespace {

using namespace iso7816;

bytes status_only(std::uint16_t sw) {
    return {static_cast<std::uint8_t>(sw >> 8), static_cast<std::uint8_t>(sw & 0xFF)};
}

bytes with_status(bytes data, std::uint16_t sw) {
    data.push_back(static_cast<std::uint8_t>(sw >> 8));
    data.push_back(static_cast<std::uint8_t>(sw & 0xFF));
    return data;
}

// xx of a 61xx/6Cxx status word: 00 stands for 256.
std::uint16_t count_sw(std::uint16_t base, std::size_t n) {
    return static_cast<std::uint16_t>(base | (n >= 256 ? 0 : n));
}

// A short command APDU split into its fields (ISO 7816-4, 5.1: cases 1 to 4).
struct command_apdu {
    std::uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
    byte_view data;
    bool has_le = false;
    std::size_t ne = 0;  // Le, with 00 meaning 256
};

// nullopt: the body's length fields do not fit the bytes there are (or are extended).
std::optional<command_apdu> parse(byte_view c) {
    if (c.size() < 4)
        return std::nullopt;
    command_apdu a{c[0], c[1], c[2], c[3], {}, false, 0};
    const auto body = c.subspan(4);
    if (body.empty())
        return a;
    if (body.size() == 1) {
        a.has_le = true;
        a.ne = body[0] == 0 ? 256 : body[0];
        return a;
    }
    const std::size_t lc = body[0];
    if (lc == 0)
        return std::nullopt;  // extended length: not supported
    if (body.size() == 1 + lc) {
        a.data = body.subspan(1, lc);
        return a;
    }
    if (body.size() == 2 + lc) {
        a.data = body.subspan(1, lc);
        a.has_le = true;
        a.ne = body[1 + lc] == 0 ? 256 : body[1 + lc];
        return a;
    }
    return std::nullopt;
}

std::uint16_t check_class(std::uint8_t cla) {
    if (cla == 0x00)
        return sw_ok;
    if (cla & 0x80)
        return sw_cla_not_supported;  // proprietary class (or invalid FF)
    if (cla & 0x60)
        return sw_cla_not_supported;  // further interindustry classes
    if (cla & 0x10)
        return sw_chaining_unsupported;
    if (cla & 0x0C)
        return sw_secure_messaging_unsupported;
    return sw_channel_unsupported;  // logical channels 1..3
}

bytes fcp(std::uint16_t id, std::optional<std::size_t> size) {
    bytes out;
    out.reserve(15);
    auto push = [&out](std::size_t v) { out.push_back(static_cast<std::uint8_t>(v & 0xFF)); };
    push(0x62);
    push(size ? 11 : 7);
    for (std::size_t v : {std::size_t{0x82}, std::size_t{0x01}, std::size_t{size ? 0x01u : 0x38u},
                          std::size_t{0x83}, std::size_t{0x02}})
        push(v);
    push(id >> 8);
    push(id);
    if (size) {
        push(0x80);
        push(0x02);
        push(*size >> 8);
        push(*size);
    }
    return out;
}

}  // namespace

file_system_card::file_system_card(card_image image, card_options options)
    : image_(std::move(image)), options_(options) {}

bytes file_system_card::atr() const {
    // TS=3B direct convention. T=1: T0=80 (TD1 follows, no historical bytes), TD1=01 (T=1),
    // TCK=81 (XOR of T0..TCK is zero). T=0: T0=00, nothing else (T=0 is implicit).
    if (options_.t0)
        return {0x3B, 0x00};
    return {0x3B, 0x80, 0x01, 0x81};
}

void file_system_card::reset() {
    current_ef_.reset();
    pending_.clear();
}

std::optional<std::size_t> file_system_card::find(std::uint16_t id) const {
    for (std::size_t i = 0; i < image_.files.size(); ++i)
        if (image_.files[i].id == id)
            return i;
    return std::nullopt;
}

bytes file_system_card::process(byte_view command) {
    bytes pending = std::exchange(pending_, {});
    if (command.size() < 4)
        return status_only(sw_wrong_length);
    if (auto sw = check_class(command[0]); sw != sw_ok)
        return status_only(sw);
    const auto ins = command[1];
    if (ins != ins_select && ins != ins_read_binary && ins != ins_update_binary &&
        ins != ins_get_response)
        return status_only(sw_ins_not_supported);
    const auto a = parse(command);
    if (!a)
        return status_only(sw_wrong_length);
    switch (ins) {
        case ins_select:
            return select(a->p1, a->p2, a->data, a->has_le, a->ne);
        case ins_read_binary:
            if (!a->data.empty() || !a->has_le)
                return status_only(sw_wrong_length);
            return read_binary(a->p1, a->p2, a->ne);
        case ins_update_binary:
            if (a->data.empty() || a->has_le)
                return status_only(sw_wrong_length);
            return update_binary(a->p1, a->p2, a->data);
        default:
            if (!a->data.empty() || !a->has_le)
                return status_only(sw_wrong_length);
            pending_ = std::move(pending);
            return get_response(a->p1, a->p2, a->ne);
    }
}

bytes file_system_card::respond_with(bytes data, bool has_le, std::size_t ne, bool case4) {
    if (options_.t0 && (case4 || !has_le)) {
        // A T=0 card cannot send data in answer to a command that sent data: 61xx.
        const auto n = data.size();
        pending_ = std::move(data);
        return status_only(count_sw(sw_bytes_remaining, n));
    }
    if (has_le && ne < data.size())
        return status_only(count_sw(sw_wrong_le, data.size()));
    if (options_.t0 && has_le && ne != data.size())
        return status_only(count_sw(sw_wrong_le, data.size()));
    return with_status(std::move(data), sw_ok);
}

bytes file_system_card::select(std::uint8_t p1, std::uint8_t p2, byte_view data, bool has_le,
                               std::size_t ne) {
    if (p2 != 0x00 && p2 != 0x04 && p2 != 0x0C)
        return status_only(sw_wrong_p1p2);
    if (p1 == 0x04)
        return status_only(sw_file_not_found);  // no DF names on this card
    if (p1 != 0x00 && p1 != 0x02)
        return status_only(sw_wrong_p1p2);
    std::uint16_t id = master_file_id;
    if (p1 == 0x02 || !data.empty()) {
        if (data.size() != 2)
            return status_only(sw_wrong_length);
        id = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
        if (p1 == 0x02 && id == master_file_id)
            return status_only(sw_file_not_found);
    }
    std::optional<std::size_t> ef;
    if (id != master_file_id) {
        ef = find(id);
        if (!ef)
            return status_only(sw_file_not_found);
    }
    current_ef_ = ef;
    if (p2 == 0x0C)
        return status_only(sw_ok);
    auto t = ef ? fcp(id, image_.files[*ef].content.size()) : fcp(id, std::nullopt);
    return respond_with(std::move(t), has_le, ne, !data.empty());
}

bytes file_system_card::read_binary(std::uint8_t p1, std::uint8_t p2, std::size_t ne) {
    if (p1 & 0x80)
        return status_only(sw_file_not_found);  // no short EF ids
    if (!current_ef_)
        return status_only(sw_no_current_ef);
    const auto& content = image_.files[*current_ef_].content;
    const std::size_t offset = (static_cast<std::size_t>(p1) << 8) | p2;
    if (offset >= content.size())
        return status_only(sw_offset_outside_ef);
    const std::size_t available = content.size() - offset;
    if (ne > available && options_.t0)
        return status_only(count_sw(sw_wrong_le, available));
    const std::size_t n = std::min(ne, available);
    bytes out(content.begin() + static_cast<std::ptrdiff_t>(offset),
              content.begin() + static_cast<std::ptrdiff_t>(offset + n));
    return with_status(std::move(out), n < ne ? sw_end_of_file : sw_ok);
}

namespace {
std::uint16_t check_update(const std::optional<std::size_t>& current, const card_image& image,
                           std::uint8_t p1, std::uint8_t p2, std::size_t length) {
    if (p1 & 0x80)
        return sw_file_not_found;
    if (!current)
        return sw_no_current_ef;
    const std::size_t size = image.files[*current].content.size();
    const std::size_t offset = (static_cast<std::size_t>(p1) << 8) | p2;
    if (offset >= size)
        return sw_offset_outside_ef;
    if (length > size - offset)
        return sw_not_enough_memory;
    return sw_ok;
}
}  // namespace

bytes file_system_card::update_binary(std::uint8_t p1, std::uint8_t p2, byte_view data) {
    if (auto sw = check_update(current_ef_, image_, p1, p2, data.size()); sw != sw_ok)
        return status_only(sw);
    auto& content = image_.files[*current_ef_].content;
    const std::size_t offset = (static_cast<std::size_t>(p1) << 8) | p2;
    std::copy(data.begin(), data.end(), content.begin() + static_cast<std::ptrdiff_t>(offset));
    return status_only(sw_ok);
}

std::optional<std::size_t> file_system_card::update_length(byte_view command) const {
    if (command.size() < 4 || check_class(command[0]) != sw_ok || command[1] != ins_update_binary)
        return std::nullopt;
    const auto a = parse(command);
    if (!a || a->data.empty() || a->has_le)
        return std::nullopt;
    if (check_update(current_ef_, image_, a->p1, a->p2, a->data.size()) != sw_ok)
        return std::nullopt;
    return a->data.size();
}

void file_system_card::tear_update(byte_view command, std::size_t keep) {
    if (update_length(command)) {
        const auto a = parse(command);
        auto& content = image_.files[*current_ef_].content;
        const std::size_t offset = (static_cast<std::size_t>(a->p1) << 8) | a->p2;
        const std::size_t n = std::min(keep, a->data.size());
        std::copy_n(a->data.begin(), n, content.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    reset();
}

bytes file_system_card::get_response(std::uint8_t p1, std::uint8_t p2, std::size_t ne) {
    if (p1 != 0 || p2 != 0) {
        pending_.clear();
        return status_only(sw_wrong_p1p2);
    }
    if (pending_.empty())
        return status_only(sw_conditions_not_satisfied);
    if (ne > pending_.size())
        return status_only(count_sw(sw_wrong_le, pending_.size()));
    bytes out(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(ne));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(ne));
    if (pending_.empty())
        return with_status(std::move(out), sw_ok);
    return with_status(std::move(out), count_sw(sw_bytes_remaining, pending_.size()));
}

}  // namespace ballotbox::cardsim
