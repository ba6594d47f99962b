// file_input: reads one small input file named by the auditor, bounded in size.
//
// Errors (messages name the file): "audit.file_missing", "audit.file_unreadable",
// "audit.file_too_large". Thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "common/result.h"

namespace ballotbox::audit {

result<std::string> read_input_file(const std::filesystem::path& path, std::size_t max_size);

}  // namespace ballotbox::audit
