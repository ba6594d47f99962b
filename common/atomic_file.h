// atomic_file: writes a whole file so that a crash or a power cut leaves either the old
// file or the complete new one, never a part: the content goes to a fresh temporary file in
// the same folder (".NAME.XXXXXX", mkstemp), which is given its mode, written, fsynced,
// closed and renamed over NAME; then the folder itself is fsynced so the rename is durable.
//
// Ownership: the caller owns the content; nothing is kept. On failure the temporary file is
// removed and the old file (if any) is untouched; only a failed fsync of the folder after
// the rename leaves the new file in place without the durability guarantee (reported).
//
// Thread safety: distinct paths are independent; two writers of one path race on the
// rename (the last one wins, both files are whole).
#pragma once

#include <filesystem>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox {

// Errors: "file.write_failed", naming the file, the step that failed and the system's reason.
status write_file_atomically(const std::filesystem::path& path, byte_view content,
                             unsigned mode = 0644);
status write_file_atomically(const std::filesystem::path& path, std::string_view content,
                             unsigned mode = 0644);

// fsyncs the folder itself, so that renames into it are durable (write_file_atomically
// does this after its rename). Errors: "file.write_failed", naming the folder.
status sync_folder(const std::filesystem::path& dir);

}  // namespace ballotbox
