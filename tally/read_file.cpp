#include "tally/read_file.h"

#include "common/read_file.h"
#include "tally/renamed_error.h"

namespace ballotbox::tally {

result<std::string> read_bounded_file(const std::filesystem::path& path, std::size_t max_bytes) {
    auto text = read_small_file(path, max_bytes);
    if (text)
        return text;
    return renamed_error(text.err(), "file.", "tally.file_");
}

}  // namespace ballotbox::tally
