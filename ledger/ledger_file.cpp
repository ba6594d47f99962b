#include "ledger/ledger_file.h"

#include <system_error>

namespace ballotbox::ledger {

std::string file_uri(const std::filesystem::path& path, const std::string& query) {
    std::string abs = std::filesystem::absolute(path).lexically_normal().string();
    std::string out = "file:";
    static const char* hex_digits = "0123456789ABCDEF";
    for (unsigned char c : abs) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
        if (plain) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex_digits[c >> 4];
            out += hex_digits[c & 0xf];
        }
    }
    return out + "?" + query;
}

result<sqlite::database> open_file_for_writing(const std::filesystem::path& path, bool create,
                                               const std::string& vfs) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    auto db = sqlite::database::open(path.string(), flags, vfs);
    if (!db)
        return db.err();
    return db;
}

result<sqlite::database> open_file_for_reading(const std::filesystem::path& path,
                                               const std::string& vfs) {
    std::error_code ec;
    const auto file = std::filesystem::status(path, ec);  // one stat for both checks
    if (!std::filesystem::exists(file))
        return make_error("ledger.cannot_open", "no ledger file at " + path.string());
    // A FIFO or a device would block the open or never end; a ledger is a regular file.
    if (!std::filesystem::is_regular_file(file))
        return make_error("ledger.cannot_open", path.string() + " is not a regular file");
    auto wal = path;
    wal += "-wal";
    bool has_wal = std::filesystem::exists(wal, ec) && std::filesystem::file_size(wal, ec) > 0;
    std::string uri = file_uri(path, has_wal ? "mode=ro" : "immutable=1");
    auto db = sqlite::database::open(
        uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, vfs);
    if (!db)
        return db.err();
    return db;
}

}  // namespace ballotbox::ledger
