#include "tools/cardsim/card_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "crypto/sha256.h"

namespace ballotbox::cardsim {
namespace {

constexpr char magic[8] = {'B', 'B', 'C', 'A', 'R', 'D', 'I', 'M'};
constexpr std::uint16_t format_version = 1;
constexpr std::size_t header_size = sizeof(magic) + 2 + 2;
constexpr std::size_t checksum_size = 32;
constexpr std::size_t max_image_size =
    header_size + max_file_count * (4 + max_file_size) + checksum_size;

void put_u16(bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

std::uint16_t get_u16(byte_view in, std::size_t at) {
    return static_cast<std::uint16_t>((in[at] << 8) | in[at + 1]);
}

std::string hex16(std::uint16_t v) {
    char text[8];
    std::snprintf(text, sizeof text, "%04X", v);
    return text;
}

status check_file(std::uint16_t id, std::size_t size, std::set<std::uint16_t>& seen) {
    if (id == master_file_id || id == 0x3FFF || id == 0xFFFF)
        return make_error("cardsim.image_reserved_file_id",
                          "file id " + hex16(id) + " is reserved by ISO 7816-4 for an EF");
    if (!seen.insert(id).second)
        return make_error("cardsim.image_duplicate_file_id",
                          "file id " + hex16(id) + " appears twice in the card image");
    if (size == 0 || size > max_file_size)
        return make_error("cardsim.image_bad_file_size", "file " + hex16(id) + " has size " +
                                                             std::to_string(size) +
                                                             "; a file holds 1 to 32767 bytes");
    return ok_status();
}

}  // namespace

std::vector<file_spec> default_layout() {
    return {file_spec{0x0B01, 1024}};
}

status validate_card_image(const card_image& image) {
    if (image.files.empty() || image.files.size() > max_file_count)
        return make_error("cardsim.image_bad_file_count", "a card image holds 1 to 16 files, not " +
                                                              std::to_string(image.files.size()));
    std::set<std::uint16_t> seen;
    for (const auto& f : image.files)
        BALLOTBOX_TRY(check_file(f.id, f.content.size(), seen));
    return ok_status();
}

result<card_image> blank_card_image(const std::vector<file_spec>& layout) {
    card_image image;
    for (const auto& spec : layout)
        image.files.push_back(card_file{spec.id, bytes(spec.size, 0)});
    BALLOTBOX_TRY(validate_card_image(image));
    return image;
}

result<card_image> card_image_with_record(byte_view record) {
    auto image = blank_card_image(default_layout());
    if (!image)
        return image.err();
    auto& ef = image->files.front().content;
    if (record.size() > ef.size())
        return make_error("cardsim.record_too_long",
                          "a record of " + std::to_string(record.size()) +
                              " bytes does not fit the card's EF of " + std::to_string(ef.size()));
    std::copy(record.begin(), record.end(), ef.begin());
    return image;
}

bytes encode_card_image(const card_image& image) {
    bytes out(magic, magic + sizeof(magic));
    put_u16(out, format_version);
    put_u16(out, static_cast<std::uint16_t>(image.files.size()));
    for (const auto& f : image.files) {
        put_u16(out, f.id);
        put_u16(out, static_cast<std::uint16_t>(f.content.size()));
    }
    for (const auto& f : image.files)
        out.insert(out.end(), f.content.begin(), f.content.end());
    auto sum = crypto::sha256(out);
    out.insert(out.end(), sum.begin(), sum.end());
    return out;
}

result<card_image> decode_card_image(byte_view data) {
    if (data.size() < header_size + checksum_size)
        return make_error("cardsim.image_truncated", "the card image is " +
                                                         std::to_string(data.size()) +
                                                         " bytes, too short for its header");
    if (!std::equal(magic, magic + sizeof(magic), data.begin()))
        return make_error("cardsim.image_bad_magic", "this file is not a cardsim card image");
    const auto version = get_u16(data, 8);
    if (version != format_version)
        return make_error("cardsim.image_unsupported_version",
                          "card image version " + std::to_string(version) +
                              " is not supported (this cardsim reads version 1)");
    const std::size_t count = get_u16(data, 10);
    if (count == 0 || count > max_file_count)
        return make_error("cardsim.image_bad_file_count",
                          "a card image holds 1 to 16 files, not " + std::to_string(count));
    const std::size_t table_end = header_size + 4 * count;
    if (data.size() < table_end + checksum_size)
        return make_error("cardsim.image_truncated", "the card image ends inside its file table");
    card_image image;
    std::set<std::uint16_t> seen;
    std::size_t contents = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const auto id = get_u16(data, header_size + 4 * i);
        const auto size = get_u16(data, header_size + 4 * i + 2);
        BALLOTBOX_TRY(check_file(id, size, seen));
        image.files.push_back(card_file{id, {}});
        image.files.back().content.resize(size);
        contents += size;
    }
    const std::size_t expected = table_end + contents + checksum_size;
    if (data.size() < expected)
        return make_error("cardsim.image_truncated",
                          "the card image is " + std::to_string(data.size()) +
                              " bytes; its file table needs " + std::to_string(expected));
    if (data.size() > expected)
        return make_error("cardsim.image_trailing_bytes",
                          "the card image has " + std::to_string(data.size() - expected) +
                              " bytes after its checksum");
    const auto sum = crypto::sha256(data.first(expected - checksum_size));
    if (!std::equal(sum.begin(), sum.end(), data.begin() + (expected - checksum_size)))
        return make_error("cardsim.image_checksum_mismatch",
                          "the card image's checksum does not match its content: the file "
                          "is damaged");
    std::size_t at = table_end;
    for (auto& f : image.files) {
        std::copy_n(data.begin() + at, f.content.size(), f.content.begin());
        at += f.content.size();
    }
    return image;
}

result<card_image> load_card_image(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("cardsim.image_unreadable",
                          "cannot open card image " + path.string() + ": " + std::strerror(errno));
    bytes data;
    char buffer[4096];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        data.insert(data.end(), buffer, buffer + in.gcount());
        if (data.size() > max_image_size)
            return make_error("cardsim.image_too_large",
                              "card image " + path.string() + " is larger than any valid image");
    }
    if (in.bad())
        return make_error("cardsim.image_unreadable", "cannot read card image " + path.string());
    return decode_card_image(data);
}

status save_card_image(const card_image& image, const std::filesystem::path& path) {
    BALLOTBOX_TRY(validate_card_image(image));
    const bytes data = encode_card_image(image);
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    // Built by appending: `"." + name` (std::string::insert at 0) trips g++ 12's bogus
    // -Wrestrict at -O3 (GCC bug 105651).
    std::string tmp_name = ".";
    tmp_name += path.filename().string();
    tmp_name += ".XXXXXX";
    std::string tmp = (dir / tmp_name).string();
    auto fail = [&](const std::string& what) {
        return make_error("cardsim.image_write_failed",
                          what + " " + path.string() + ": " + std::strerror(errno));
    };
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0)
        return fail("cannot create a temporary file next to");
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            auto e = fail("cannot write");
            ::close(fd);
            ::unlink(tmp.c_str());
            return e;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
        auto e = fail("cannot flush");
        ::close(fd);
        ::unlink(tmp.c_str());
        return e;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto e = fail("cannot rename the temporary file onto");
        ::unlink(tmp.c_str());
        return e;
    }
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return ok_status();
}

}  // namespace ballotbox::cardsim
