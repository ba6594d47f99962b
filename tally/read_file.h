// Reading a whole file with a size bound: common/read_file.h's read_small_file, with its
// "file.X" codes given as the tally's documented "tally.file_X" (docs/tally.md).
// Pure apart from the file system; thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "common/result.h"

namespace ballotbox::tally {

// Errors: "tally.file_missing" (no such file), "tally.file_unreadable",
// "tally.file_too_large" (more than max_bytes).
result<std::string> read_bounded_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace ballotbox::tally
