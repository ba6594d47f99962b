// atomic_file: writes a file so that a crash leaves either the old file or the complete new
// one: a temporary file in the same folder, write, fsync, rename over the name, fsync of the
// folder. A failed write removes its temporary file and leaves the old file untouched.
//
// Thread safety: distinct paths are independent; two writers of one path race on rename
// (the last one wins, both files are whole).
#pragma once

#include <filesystem>
#include <string_view>

#include "common/result.h"

namespace ballotbox::protocol {

// Errors: "protocol.write_failed" (naming the file and the system's reason).
status write_file_atomically(const std::filesystem::path& path, std::string_view content,
                             unsigned mode = 0644);

// Reads a whole file of at most max_bytes. Errors: "protocol.cannot_read", "protocol.too_large".
result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace ballotbox::protocol
