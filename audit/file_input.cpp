#include "audit/file_input.h"

#include <fstream>
#include <iterator>

namespace ballotbox::audit {

result<std::string> read_input_file(const std::filesystem::path& path, std::size_t max_size) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return make_error("audit.file_missing", "The file " + path.string() + " does not exist.");
    if (!std::filesystem::is_regular_file(path, ec))
        return make_error("audit.file_unreadable", path.string() + " is not a regular file.");
    auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return make_error("audit.file_unreadable",
                          "Cannot read " + path.string() + ": " + ec.message());
    if (size > max_size)
        return make_error("audit.file_too_large", "The file " + path.string() + " is larger (" +
                                                      std::to_string(size) + " bytes) than " +
                                                      std::to_string(max_size) + " bytes.");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("audit.file_unreadable", "Cannot open " + path.string() + ".");
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (static_cast<std::size_t>(in.gcount()) != text.size() || in.peek() != EOF)
        return make_error("audit.file_unreadable",
                          "The file " + path.string() + " changed while being read.");
    return text;
}

}  // namespace ballotbox::audit
