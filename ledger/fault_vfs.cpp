#include "ledger/fault_vfs.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace ballotbox::ledger {

struct fault_vfs::impl {
    sqlite3_vfs vfs{};
    sqlite3_vfs* base = nullptr;  // the unix VFS every call ends in
    std::string name;
    random_source* random = nullptr;

    mutable std::mutex mutex;
    durability_model model;
    fault_vfs_counters counters;
    struct fault {
        fault_op op;
        std::uint64_t at;
        int code;
        bool persistent;
    };
    std::vector<fault> faults;
    std::optional<std::uint64_t> budget_end;  // on counters.bytes_written
    struct crash_trigger {
        fault_op op;
        std::uint64_t at;
        crash_policy policy;
        bool after;
    };
    std::optional<crash_trigger> trigger;
    bool crashed = false;
    std::optional<result<crash_summary>> last;
    int open_files = 0;

    std::uint64_t& counter(fault_op op) {
        switch (op) {
            case fault_op::write:
                return counters.writes;
            case fault_op::sync:
                return counters.syncs;
            case fault_op::open_main_db:
                return counters.main_db_open_calls;
            case fault_op::truncate:
                break;
        }
        return counters.truncates;
    }

    // Counts one call of kind `op`; returns the injected failure code, or SQLITE_OK.
    int count_and_check(fault_op op) {
        std::uint64_t n = ++counter(op);
        for (const auto& f : faults) {
            if (f.op == op && (n == f.at || (f.persistent && n > f.at))) {
                ++counters.faults_hit;
                return f.code;
            }
        }
        return SQLITE_OK;
    }

    bool crash_due(fault_op op, bool after) {
        return trigger && trigger->op == op && trigger->after == after &&
               counter(op) == trigger->at;
    }

    void crash_now(crash_policy policy) {
        crashed = true;
        trigger.reset();
        last = model.simulate_crash(policy, *random);
    }
};

namespace {

using impl = fault_vfs::impl;

struct fault_file {
    sqlite3_file base;  // first: SQLite sees this
    impl* owner;
    std::string path;  // empty = not tracked
    bool dirsync;      // the unix VFS syncs the directory at this handle's first xSync
    sqlite3_file* real;
};

constexpr std::size_t real_offset = (sizeof(fault_file) + 15) / 16 * 16;

fault_file* as_fault(sqlite3_file* f) {
    return reinterpret_cast<fault_file*>(f);
}
sqlite3_file* real_of(sqlite3_file* f) {
    return as_fault(f)->real;
}
impl* owner_of(sqlite3_vfs* vfs) {
    return static_cast<impl*>(vfs->pAppData);
}

int file_close(sqlite3_file* file) {
    fault_file* f = as_fault(file);
    int rc = SQLITE_OK;
    if (f->real->pMethods != nullptr)
        rc = f->real->pMethods->xClose(f->real);
    impl* owner = f->owner;
    {
        std::lock_guard lock(owner->mutex);
        --owner->open_files;
    }
    f->~fault_file();
    return rc;
}

int file_read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xRead(real, buffer, amount, offset);
}

// The bytes [offset, min(offset + amount, size)) as they are now, and the size.
int read_old(sqlite3_file* real, sqlite3_int64 offset, sqlite3_int64 amount, bytes& out,
             sqlite3_int64& size) {
    int rc = real->pMethods->xFileSize(real, &size);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_int64 end = std::min(offset + amount, size);
    out.assign(end > offset ? static_cast<std::size_t>(end - offset) : 0, 0);
    if (out.empty())
        return SQLITE_OK;
    rc = real->pMethods->xRead(real, out.data(), static_cast<int>(out.size()), offset);
    return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_OK : rc;
}

int file_write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
    fault_file* f = as_fault(file);
    impl& o = *f->owner;
    std::lock_guard lock(o.mutex);
    if (o.crashed)
        return SQLITE_IOERR_WRITE;
    int rc = o.count_and_check(fault_op::write);
    if (o.crash_due(fault_op::write, false)) {
        o.crash_now(o.trigger->policy);
        return SQLITE_IOERR_WRITE;
    }
    if (rc != SQLITE_OK)
        return rc;
    if (o.budget_end &&
        o.counters.bytes_written + static_cast<std::uint64_t>(amount) > *o.budget_end) {
        ++o.counters.faults_hit;
        return SQLITE_FULL;
    }
    bytes old_data;
    sqlite3_int64 old_size = 0;
    if (!f->path.empty()) {
        rc = read_old(f->real, offset, amount, old_data, old_size);
        if (rc != SQLITE_OK)
            return rc;
    }
    rc = f->real->pMethods->xWrite(f->real, buffer, amount, offset);
    if (rc != SQLITE_OK)
        return rc;
    o.counters.bytes_written += static_cast<std::uint64_t>(amount);
    if (!f->path.empty()) {
        byte_view written(static_cast<const std::uint8_t*>(buffer),
                          static_cast<std::size_t>(amount));
        o.model.on_write(f->path, static_cast<std::uint64_t>(offset), old_data, written,
                         static_cast<std::uint64_t>(old_size));
    }
    if (o.crash_due(fault_op::write, true)) {
        o.crash_now(o.trigger->policy);
        return SQLITE_IOERR_WRITE;
    }
    return SQLITE_OK;
}

int file_truncate(sqlite3_file* file, sqlite3_int64 size) {
    fault_file* f = as_fault(file);
    impl& o = *f->owner;
    std::lock_guard lock(o.mutex);
    if (o.crashed)
        return SQLITE_IOERR_TRUNCATE;
    int rc = o.count_and_check(fault_op::truncate);
    if (o.crash_due(fault_op::truncate, false)) {
        o.crash_now(o.trigger->policy);
        return SQLITE_IOERR_TRUNCATE;
    }
    if (rc != SQLITE_OK)
        return rc;
    bytes tail;
    sqlite3_int64 old_size = 0;
    if (!f->path.empty()) {
        rc = f->real->pMethods->xFileSize(f->real, &old_size);
        if (rc != SQLITE_OK)
            return rc;
        if (size < old_size) {
            sqlite3_int64 ignored = 0;
            rc = read_old(f->real, size, old_size - size, tail, ignored);
            if (rc != SQLITE_OK)
                return rc;
        }
    }
    rc = f->real->pMethods->xTruncate(f->real, size);
    if (rc != SQLITE_OK)
        return rc;
    if (!f->path.empty())
        o.model.on_truncate(f->path, static_cast<std::uint64_t>(size), std::move(tail),
                            static_cast<std::uint64_t>(old_size));
    if (o.crash_due(fault_op::truncate, true)) {
        o.crash_now(o.trigger->policy);
        return SQLITE_IOERR_TRUNCATE;
    }
    return SQLITE_OK;
}

int file_sync(sqlite3_file* file, int /*flags*/) {
    fault_file* f = as_fault(file);
    impl& o = *f->owner;
    std::lock_guard lock(o.mutex);
    if (o.crashed)
        return SQLITE_IOERR_FSYNC;
    int rc = o.count_and_check(fault_op::sync);
    if (o.crash_due(fault_op::sync, false)) {
        o.crash_now(o.trigger->policy);
        return SQLITE_IOERR_FSYNC;
    }
    if (rc != SQLITE_OK)
        return rc;
    // Durability is modelled: no fsync, the log of unsynced writes is simply settled.
    if (!f->path.empty()) {
        o.model.on_sync(f->path);
        if (f->dirsync)
            o.model.on_directory_sync(durability_model::directory_of(f->path));
        f->dirsync = false;
    }
    if (o.crash_due(fault_op::sync, true)) {
        o.crash_now(o.trigger->policy);
        return SQLITE_IOERR_FSYNC;
    }
    return SQLITE_OK;
}

int file_size(sqlite3_file* file, sqlite3_int64* size) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xFileSize(real, size);
}
int file_lock(sqlite3_file* file, int level) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xLock(real, level);
}
int file_unlock(sqlite3_file* file, int level) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xUnlock(real, level);
}
int file_check_reserved(sqlite3_file* file, int* out) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xCheckReservedLock(real, out);
}
int file_control(sqlite3_file* file, int op, void* arg) {
    // A size hint would let the unix VFS grow the file behind the model's back; it is only
    // a hint, so it is accepted and ignored.
    if (op == SQLITE_FCNTL_SIZE_HINT)
        return SQLITE_OK;
    sqlite3_file* real = real_of(file);
    return real->pMethods->xFileControl(real, op, arg);
}
int file_sector_size(sqlite3_file* file) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xSectorSize(real);
}
int file_device_characteristics(sqlite3_file* file) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xDeviceCharacteristics(real);
}
// WAL shared memory: delegated to the unix VFS (not durable state; deleted at a crash).
int file_shm_map(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xShmMap(real, page, page_size, extend, out);
}
int file_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xShmLock(real, offset, n, flags);
}
void file_shm_barrier(sqlite3_file* file) {
    sqlite3_file* real = real_of(file);
    real->pMethods->xShmBarrier(real);
}
int file_shm_unmap(sqlite3_file* file, int delete_flag) {
    sqlite3_file* real = real_of(file);
    return real->pMethods->xShmUnmap(real, delete_flag);
}

// Version 2: shared memory, but no xFetch, so SQLite never writes through a memory map
// the model could not see.
const sqlite3_io_methods fault_io_methods = {
    2,
    file_close,
    file_read,
    file_write,
    file_truncate,
    file_sync,
    file_size,
    file_lock,
    file_unlock,
    file_check_reserved,
    file_control,
    file_sector_size,
    file_device_characteristics,
    file_shm_map,
    file_shm_lock,
    file_shm_barrier,
    file_shm_unmap,
    nullptr,
    nullptr,
};

constexpr int tracked_types =
    SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL | SQLITE_OPEN_SUPER_JOURNAL;

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    impl& o = *owner_of(vfs);
    auto* f = new (file) fault_file{};
    f->base.pMethods = nullptr;
    f->owner = &o;
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset);
    f->real->pMethods = nullptr;
    std::lock_guard lock(o.mutex);
    const bool tracked = name != nullptr && (flags & tracked_types) != 0;
    const bool existed = tracked && ::access(name, F_OK) == 0;
    int rc =
        (flags & SQLITE_OPEN_MAIN_DB) != 0 ? o.count_and_check(fault_op::open_main_db) : SQLITE_OK;
    if (rc != SQLITE_OK) {
        f->~fault_file();
        return rc;
    }
    rc = o.base->xOpen(o.base, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods != nullptr)
            f->real->pMethods->xClose(f->real);
        f->~fault_file();
        return rc;
    }
    if (tracked) {
        f->path = name;
        f->dirsync =
            (flags & SQLITE_OPEN_CREATE) != 0 &&
            (flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL | SQLITE_OPEN_SUPER_JOURNAL)) != 0;
        o.model.on_open(f->path, !existed, (flags & SQLITE_OPEN_MAIN_DB) != 0);
    }
    ++o.open_files;
    if ((flags & SQLITE_OPEN_MAIN_DB) != 0)
        ++o.counters.main_db_opens;
    f->base.pMethods = &fault_io_methods;
    return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    impl& o = *owner_of(vfs);
    std::lock_guard lock(o.mutex);
    ++o.counters.deletes;
    if (o.crashed)
        return SQLITE_IOERR_DELETE;
    if (!o.model.on_delete(name, sync_dir != 0))
        return SQLITE_IOERR_DELETE;
    // The directory sync, when asked for, is modelled rather than done.
    int rc = o.base->xDelete(o.base, name, 0);
    if (rc == SQLITE_OK && sync_dir != 0)
        o.model.on_directory_sync(durability_model::directory_of(name));
    return rc;
}

// Everything else is the unix VFS's own business, called with the unix VFS object.
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xAccess(b, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xFullPathname(b, name, n, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xDlOpen(b, name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    b->xDlError(b, n, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xDlSym(b, handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    b->xDlClose(b, handle);
}
int vfs_randomness(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xRandomness(b, n, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int micros) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xSleep(b, micros);
}
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xCurrentTime(b, out);
}
int vfs_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xGetLastError(b, n, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    sqlite3_vfs* b = owner_of(vfs)->base;
    return b->xCurrentTimeInt64(b, out);
}

}  // namespace

result<std::unique_ptr<fault_vfs>> fault_vfs::create(const std::string& name,
                                                     random_source& random) {
    if (sqlite3_initialize() != SQLITE_OK)
        return make_error("ledger.storage_failed", "fault VFS: SQLite failed to initialise");
    if (name.empty() || sqlite3_vfs_find(name.c_str()) != nullptr)
        return make_error("ledger.fault_vfs_name",
                          "fault VFS: the name \"" + name + "\" is empty or already registered");
    sqlite3_vfs* base = sqlite3_vfs_find("unix");
    if (base == nullptr || base->iVersion < 2)
        return make_error("ledger.fault_vfs_base", "fault VFS: SQLite has no usable unix VFS");
    auto state = std::make_unique<impl>();
    state->base = base;
    state->name = name;
    state->random = &random;
    sqlite3_vfs& v = state->vfs;
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(real_offset) + base->szOsFile;
    v.mxPathname = base->mxPathname;
    v.zName = state->name.c_str();
    v.pAppData = state.get();
    v.xOpen = vfs_open;
    v.xDelete = vfs_delete;
    v.xAccess = vfs_access;
    v.xFullPathname = vfs_full_pathname;
    v.xDlOpen = vfs_dl_open;
    v.xDlError = vfs_dl_error;
    v.xDlSym = vfs_dl_sym;
    v.xDlClose = vfs_dl_close;
    v.xRandomness = vfs_randomness;
    v.xSleep = vfs_sleep;
    v.xCurrentTime = vfs_current_time;
    v.xGetLastError = vfs_get_last_error;
    v.xCurrentTimeInt64 = vfs_current_time_int64;
    if (sqlite3_vfs_register(&v, 0) != SQLITE_OK)
        return make_error("ledger.fault_vfs_name", "fault VFS: cannot register \"" + name + "\"");
    return std::unique_ptr<fault_vfs>(new fault_vfs(std::move(state)));
}

fault_vfs::fault_vfs(std::unique_ptr<impl> state) : impl_(std::move(state)) {}

fault_vfs::~fault_vfs() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->open_files != 0) {
            std::fprintf(stderr, "fault VFS %s destroyed with %d files still open\n",
                         impl_->name.c_str(), impl_->open_files);
            std::abort();
        }
    }
    sqlite3_vfs_unregister(&impl_->vfs);
}

const std::string& fault_vfs::name() const {
    return impl_->name;
}

fault_vfs_counters fault_vfs::counters() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->counters;
}

void fault_vfs::inject(fault_op op, std::uint64_t nth, int sqlite_code, bool persistent) {
    std::lock_guard lock(impl_->mutex);
    impl_->faults.push_back({op, impl_->counter(op) + nth, sqlite_code, persistent});
}

void fault_vfs::set_write_budget(std::optional<std::uint64_t> bytes) {
    std::lock_guard lock(impl_->mutex);
    impl_->budget_end.reset();
    if (bytes)
        impl_->budget_end = impl_->counters.bytes_written + *bytes;
}

void fault_vfs::clear_faults() {
    std::lock_guard lock(impl_->mutex);
    impl_->faults.clear();
    impl_->budget_end.reset();
    impl_->trigger.reset();
}

result<crash_summary> fault_vfs::crash(crash_policy policy) {
    std::lock_guard lock(impl_->mutex);
    impl_->crash_now(policy);
    return *impl_->last;
}

void fault_vfs::crash_at(fault_op op, std::uint64_t nth, crash_policy policy, bool after) {
    std::lock_guard lock(impl_->mutex);
    impl_->trigger = impl::crash_trigger{op, impl_->counter(op) + nth, policy, after};
}

bool fault_vfs::crashed() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->crashed;
}

result<crash_summary> fault_vfs::last_crash() const {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->last)
        return make_error("ledger.fault_vfs_no_crash", "fault VFS: no crash yet");
    return *impl_->last;
}

status fault_vfs::reset() {
    std::lock_guard lock(impl_->mutex);
    if (impl_->open_files != 0)
        return make_error("ledger.fault_vfs_busy", "fault VFS: reset refused while " +
                                                       std::to_string(impl_->open_files) +
                                                       " files are open");
    impl_->model.clear();
    impl_->counters = {};
    impl_->faults.clear();
    impl_->budget_end.reset();
    impl_->trigger.reset();
    impl_->crashed = false;
    impl_->last.reset();
    return ok_status();
}

}  // namespace ballotbox::ledger
