// durability_model: what survives a power loss, for the files the fault VFS tracks.
//
// The model is told of every successful write, truncation, sync, creation and deletion of
// the files it tracks (by full path) and keeps, per file, an undo/redo log of the writes and
// truncations since that file's last sync. simulate_crash() turns the files on disk into one
// state the disk could hold after a power loss at this moment, chosen by a crash_policy and
// a random_source, and rewrites them to it.
//
// What the model guarantees (the assumptions SQLite documents for its atomic commit, made
// concrete):
//   - Everything a file held at its last sync survives; nothing a sync covered is lost.
//   - Writes and truncations since the last sync may be lost: all of them (drop_all), all
//     after a random point (keep_prefix), all after a random point with the first lost write
//     torn at a random BYTE (tear: a prefix of its bytes lands, the rest keeps the old data,
//     so sectors are not assumed atomic), or any random subset in any order (reorder).
//   - A write never disturbs bytes outside its own range (SQLite's "powersafe overwrite",
//     which the unix VFS advertises); space a lost extension would have added reads as
//     zeros, never garbage.
//   - Directory entries follow POSIX: a creation or deletion is durable only once its
//     directory is synced. Until then a created file may vanish at a crash and a deleted one
//     may come back with the content of its last sync (drop_all always does both; the other
//     policies toss a coin per file). Directory syncs are modelled where the unix VFS does
//     them: at the first xSync of a rollback journal, super-journal or WAL handle opened with
//     SQLITE_OPEN_CREATE, and at xDelete(syncDir=1); one makes every pending creation and
//     deletion in that directory durable. SQLite never syncs the directory for a new main
//     database file: the first journal or WAL sync in the same directory does it.
//   - The -shm file of each tracked main database is deleted: it is not durable state and
//     SQLite rebuilds it from the WAL.
// What it does not model: metadata other than size and existence (mode, mtime), renames,
// files opened outside the fault VFS, garbage in extended regions, a write torn in more
// than one place, and files of exactly one byte (the unix VFS reports their size as 0, so
// their undo data would be wrong; SQLite never writes such files). fault_vfs keeps SQLite
// from writing behind the model's back: it offers no xFetch (no memory-mapped I/O) and
// ignores SQLITE_FCNTL_SIZE_HINT.
//
// Thread safety: none; fault_vfs serialises every call under its mutex.
// Failure: simulate_crash() reports the first file it could not rewrite; files rewritten
// before it stay rewritten.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/random.h"
#include "common/result.h"

namespace ballotbox::ledger {

enum class crash_policy { drop_all, keep_prefix, tear, reorder };

const char* to_string(crash_policy policy);

// What one simulated crash did, for test messages.
struct crash_summary {
    std::size_t files = 0;        // tracked files considered
    std::size_t pending_ops = 0;  // unsynced writes/truncations across them
    std::size_t kept_ops = 0;     // of those, how many landed (a torn write counts)
    std::size_t torn_writes = 0;  // writes that landed only in part
    std::size_t vanished = 0;     // unsynced creations that disappeared
    std::size_t resurrected = 0;  // unsynced deletions that were undone
};

class durability_model {
  public:
    // `created`: the file did not exist before this open.
    void on_open(const std::string& path, bool created, bool main_db);
    // old_data: the bytes [offset, min(offset + size, old_size)) held before the write.
    void on_write(const std::string& path, std::uint64_t offset, byte_view old_data,
                  byte_view new_data, std::uint64_t old_size);
    // old_tail: the bytes [new_size, old_size) cut off (empty when growing).
    void on_truncate(const std::string& path, std::uint64_t new_size, bytes old_tail,
                     std::uint64_t old_size);
    void on_sync(const std::string& path);
    // Every pending creation and deletion in `directory` becomes durable.
    void on_directory_sync(const std::string& directory);
    static std::string directory_of(const std::string& path);
    // Call before the real deletion: reads the file to remember its durable content.
    status on_delete(const std::string& path, bool sync_dir);

    bool tracks(const std::string& path) const { return files_.count(path) != 0; }

    // Rewrites every tracked file to a post-crash state and deletes the -shm files. Afterwards
    // the model treats the files on disk as durable (empty logs, durable entries).
    result<crash_summary> simulate_crash(crash_policy policy, random_source& random);

    void clear() { files_.clear(); }

  private:
    struct op {
        bool is_write = true;
        std::uint64_t offset = 0;  // write offset, or the new size of a truncation
        bytes old_data;            // overwritten bytes, or the cut-off tail
        bytes new_data;            // written bytes (empty for a truncation)
        std::uint64_t old_size = 0;
    };
    struct file_state {
        bool main_db = false;
        bool exists = false;
        bool entry_durable = false;
        std::vector<op> pending;
        std::optional<bytes> ghost;  // durable content of an undurably deleted incarnation
    };

    static void undo(bytes& content, const op& o);
    static void apply(bytes& content, const op& o, std::optional<std::size_t> torn_at);

    std::map<std::string, file_state> files_;
};

}  // namespace ballotbox::ledger
