#include "tally/read_file.h"

#include "common/read_file.h"

namespace ballotbox::tally {

result<std::string> read_bounded_file(const std::filesystem::path& path, std::size_t max_bytes) {
    auto text = read_small_file(path, max_bytes);
    if (text)
        return text;
    constexpr std::string_view prefix = "file.";
    auto code = text.err().code;
    if (code.starts_with(prefix))
        code = "tally.file_" + code.substr(prefix.size());
    return make_error(std::move(code), text.err().message);
}

}  // namespace ballotbox::tally
