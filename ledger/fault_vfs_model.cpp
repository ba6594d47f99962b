#include "ledger/fault_vfs_model.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace ballotbox::ledger {

namespace {

// Uniform in [0, bound) without modulo bias; bound > 0.
std::uint64_t uniform(random_source& random, std::uint64_t bound) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    for (;;) {
        std::array<std::uint8_t, 8> raw{};
        random.fill(raw);
        std::uint64_t v = 0;
        for (auto b : raw)
            v = (v << 8) | b;
        if (v < limit)
            return v % bound;
    }
}

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

error io_failure(const std::string& what, const std::string& path) {
    return make_error("ledger.fault_vfs_io",
                      "fault VFS: cannot " + what + " " + path + ": " + std::strerror(errno));
}

result<bytes> read_whole(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_failure("open", path);
    bytes content;
    std::array<std::uint8_t, 65536> buffer{};
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ::close(fd);
            return io_failure("read", path);
        }
        if (n == 0)
            break;
        content.insert(content.end(), buffer.begin(), buffer.begin() + n);
    }
    ::close(fd);
    return content;
}

status write_whole(const std::string& path, const bytes& content) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return io_failure("create", path);
    if (::ftruncate(fd, static_cast<off_t>(content.size())) != 0) {
        ::close(fd);
        return io_failure("truncate", path);
    }
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n =
            ::pwrite(fd, content.data() + done, content.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ::close(fd);
            return io_failure("write", path);
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return ok_status();
}

status remove_file(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        return io_failure("delete", path);
    return ok_status();
}

}  // namespace

const char* to_string(crash_policy policy) {
    switch (policy) {
        case crash_policy::drop_all:
            return "drop_all";
        case crash_policy::keep_prefix:
            return "keep_prefix";
        case crash_policy::tear:
            return "tear";
        case crash_policy::reorder:
            return "reorder";
    }
    return "unknown";
}

void durability_model::on_open(const std::string& path, bool created, bool main_db) {
    auto& f = files_[path];
    f.main_db = f.main_db || main_db;
    if (created) {
        // A new incarnation: nothing of it is durable yet, not even its name.
        f.exists = true;
        f.entry_durable = false;
        f.pending.clear();
    } else if (!f.exists) {
        // First sight of a file that was already there (or reappeared by other means).
        f.exists = true;
        f.entry_durable = true;
        f.pending.clear();
    }
}

void durability_model::on_write(const std::string& path, std::uint64_t offset, byte_view old_data,
                                byte_view new_data, std::uint64_t old_size) {
    auto& f = files_[path];
    op o;
    o.is_write = true;
    o.offset = offset;
    o.old_data.assign(old_data.begin(), old_data.end());
    o.new_data.assign(new_data.begin(), new_data.end());
    o.old_size = old_size;
    f.pending.push_back(std::move(o));
}

void durability_model::on_truncate(const std::string& path, std::uint64_t new_size, bytes old_tail,
                                   std::uint64_t old_size) {
    auto& f = files_[path];
    op o;
    o.is_write = false;
    o.offset = new_size;
    o.old_data = std::move(old_tail);
    o.old_size = old_size;
    f.pending.push_back(std::move(o));
}

void durability_model::on_sync(const std::string& path) {
    auto it = files_.find(path);
    if (it != files_.end())
        it->second.pending.clear();
}

std::string durability_model::directory_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

void durability_model::on_directory_sync(const std::string& directory) {
    for (auto& [path, f] : files_) {
        if (directory_of(path) != directory)
            continue;
        if (f.exists)
            f.entry_durable = true;
        f.ghost.reset();
    }
}

status durability_model::on_delete(const std::string& path, bool sync_dir) {
    auto it = files_.find(path);
    if (it == files_.end())
        return ok_status();
    auto& f = it->second;
    if (sync_dir) {
        f.ghost.reset();
    } else if (f.exists && f.entry_durable) {
        auto current = read_whole(path);
        if (!current)
            return current.err();
        bytes durable = std::move(current.value());
        for (auto o = f.pending.rbegin(); o != f.pending.rend(); ++o)
            undo(durable, *o);
        f.ghost = std::move(durable);
    }
    // Deleting an incarnation whose entry was never durable leaves any older ghost as is.
    f.exists = false;
    f.entry_durable = false;
    f.pending.clear();
    return ok_status();
}

void durability_model::undo(bytes& content, const op& o) {
    if (o.is_write) {
        std::copy(o.old_data.begin(), o.old_data.end(), content.begin() + o.offset);
        content.resize(o.old_size);
    } else if (o.offset < o.old_size) {
        content.resize(o.offset);
        content.insert(content.end(), o.old_data.begin(), o.old_data.end());
    } else {
        content.resize(o.old_size);
    }
}

void durability_model::apply(bytes& content, const op& o, std::optional<std::size_t> torn_at) {
    if (!o.is_write) {
        content.resize(o.offset);
        return;
    }
    std::size_t n = torn_at ? *torn_at : o.new_data.size();
    if (content.size() < o.offset + n)
        content.resize(o.offset + n);
    std::copy(o.new_data.begin(), o.new_data.begin() + n, content.begin() + o.offset);
}

result<crash_summary> durability_model::simulate_crash(crash_policy policy, random_source& random) {
    crash_summary summary;
    for (auto& [path, f] : files_) {
        ++summary.files;
        summary.pending_ops += f.pending.size();
        const bool on_disk = f.exists && file_exists(path);
        // Does this incarnation's name survive? Without a durable entry it is a coin toss,
        // and always lost under drop_all.
        bool name_survives = f.entry_durable;
        if (on_disk && !f.entry_durable && policy != crash_policy::drop_all)
            name_survives = uniform(random, 2) == 0;

        if (on_disk && name_survives) {
            auto current = read_whole(path);
            if (!current)
                return current.err();
            bytes content = std::move(current.value());
            for (auto o = f.pending.rbegin(); o != f.pending.rend(); ++o)
                undo(content, *o);
            const std::size_t n = f.pending.size();
            std::size_t keep = 0;
            std::optional<std::size_t> torn;
            switch (policy) {
                case crash_policy::drop_all:
                    break;
                case crash_policy::keep_prefix:
                    keep = static_cast<std::size_t>(uniform(random, n + 1));
                    break;
                case crash_policy::tear:
                    if (n > 0) {
                        keep = static_cast<std::size_t>(uniform(random, n));
                        const op& victim = f.pending[keep];
                        if (victim.is_write && !victim.new_data.empty())
                            torn =
                                static_cast<std::size_t>(uniform(random, victim.new_data.size()));
                    }
                    break;
                case crash_policy::reorder:
                    break;
            }
            if (policy == crash_policy::reorder) {
                for (const op& o : f.pending) {
                    if (uniform(random, 2) == 0)
                        continue;
                    apply(content, o, std::nullopt);
                    ++summary.kept_ops;
                }
            } else {
                for (std::size_t i = 0; i < keep; ++i)
                    apply(content, f.pending[i], std::nullopt);
                summary.kept_ops += keep;
                if (torn) {
                    apply(content, f.pending[keep], torn);
                    ++summary.kept_ops;
                    ++summary.torn_writes;
                }
            }
            BALLOTBOX_TRY(write_whole(path, content));
        } else {
            if (on_disk) {
                BALLOTBOX_TRY(remove_file(path));
                ++summary.vanished;
            }
            bool resurrect = f.ghost.has_value() &&
                             (policy == crash_policy::drop_all || uniform(random, 2) == 0);
            if (resurrect) {
                BALLOTBOX_TRY(write_whole(path, *f.ghost));
                ++summary.resurrected;
            }
        }
        if (f.main_db)
            BALLOTBOX_TRY(remove_file(path + "-shm"));
    }
    // What is on disk now is, by definition, the durable state.
    for (auto& [path, f] : files_) {
        f.exists = file_exists(path);
        f.entry_durable = f.exists;
        f.pending.clear();
        f.ghost.reset();
    }
    return summary;
}

}  // namespace ballotbox::ledger
