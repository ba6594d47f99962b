#include "tally/registry.h"

#include "tally/read_file.h"

namespace ballotbox::tally {

namespace {
bool lower_hex(std::string_view s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}
}  // namespace

bool station_id_valid(std::string_view id) {
    if (id.empty() || id.size() > 64)
        return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    return true;
}

const crypto::ed25519_public_key* station_registry::find(std::string_view station_id) const {
    auto it = keys_.find(station_id);
    return it == keys_.end() ? nullptr : &it->second;
}

result<station_registry> station_registry::parse(std::string_view text) {
    if (text.size() > max_registry_bytes)
        return make_error("registry.too_large", "The registry is larger than 16 MiB.");
    if (!text.empty() && text.back() != '\n')
        return make_error("registry.no_final_newline",
                          "The registry's last line does not end in a newline.");
    station_registry reg;
    std::size_t pos = 0;
    std::size_t line_no = 0;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        const auto line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        const auto where = "Registry line " + std::to_string(line_no);
        if (line_no == 1) {
            if (line != registry_format)
                return make_error("registry.bad_header",
                                  "The registry does not start with the line \"" +
                                      std::string(registry_format) + "\".");
            continue;
        }
        const auto space = line.find(' ');
        if (space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos)
            return make_error("registry.bad_line", where + " is not \"<station id> <key hex>\".");
        const auto id = line.substr(0, space);
        const auto hex = line.substr(space + 1);
        if (!station_id_valid(id))
            return make_error(
                "registry.bad_station_id",
                where + ": the station id must be 1 to 64 of a-z, 0-9, '.', '_', '-'.");
        if (hex.size() != 64 || !lower_hex(hex))
            return make_error("registry.bad_key",
                              where + ": the key must be 64 lower-case hex digits.");
        auto raw = from_hex(hex);
        if (!raw)
            return make_error("registry.bad_key", where + ": " + raw.err().message);
        auto key = crypto::ed25519_public_key::from_raw(*raw);
        if (!key)
            return make_error("registry.bad_key", where + ": not an Ed25519 public key.");
        if (reg.keys_.size() >= max_registry_stations)
            return make_error("registry.too_many_stations",
                              "The registry lists more than 200,000 stations.");
        if (!reg.keys_.emplace(std::string(id), std::move(*key)).second)
            return make_error("registry.duplicate_station",
                              where + ": station \"" + std::string(id) + "\" is registered twice.");
    }
    if (line_no == 0)
        return make_error("registry.bad_header", "The registry is empty.");
    return reg;
}

result<station_registry> station_registry::load(const std::filesystem::path& path) {
    auto text = read_bounded_file(path, max_registry_bytes);
    if (!text)
        return make_error("registry.unreadable", text.err().message);
    return parse(*text);
}

std::string format_registry(
    const std::vector<std::pair<std::string, crypto::ed25519_raw_public_key>>& entries) {
    std::string out(registry_format);
    out += '\n';
    for (const auto& [id, key] : entries) {
        out += id;
        out += ' ';
        out += to_hex(key);
        out += '\n';
    }
    return out;
}

}  // namespace ballotbox::tally
