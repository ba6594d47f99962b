// read_file: reads a whole small file with a size bound, for inputs that may be hostile
// (exports, packages, keys, registries): a file larger than the bound is refused, and never
// more than the bound plus one byte is read, even if the file grows while it is read.
//
// Ownership: the caller owns the returned text; nothing is kept. A failure leaves nothing
// behind. Thread safety: independent calls are independent.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "common/result.h"

namespace ballotbox {

// Errors (messages name the file): "file.missing" (no such file), "file.unreadable" (not a
// regular file, no permission, an I/O error), "file.too_large" (more than max_bytes).
result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace ballotbox
