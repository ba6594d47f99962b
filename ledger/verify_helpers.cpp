#include "ledger/verify_helpers.h"

#include <system_error>

#include "common/spin_then_wait.h"
#include "ledger/verify_team.h"

namespace ballotbox::ledger {

verify_helpers::verify_helpers(const std::filesystem::path& path, const verify_options& options,
                               bool open_reader)
    : path_(path), vfs_(options.vfs_name) {
    // Only a regular file: the open refuses anything else (ledger_file.h), so no thread is
    // started for it.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return;
    const auto threads = detail::range_threads(options, detail::entry_bound(path));
    if (threads < 2)
        return;
    team_ = std::make_unique<detail::helper_team>(
        threads - 1, [path = path_, vfs = vfs_] { return detail::open_for_one_read(path, vfs); },
        open_reader);
}

verify_helpers::~verify_helpers() = default;

unsigned verify_helpers::waiting() const {
    return team_ ? static_cast<unsigned>(team_->threads.helpers()) : 0;
}

std::unique_ptr<detail::helper_team> verify_helpers::take(const std::filesystem::path& path,
                                                          const std::string& vfs) {
    if (path != path_ || vfs != vfs_)
        return nullptr;
    return std::move(team_);
}

std::optional<result<sqlite::database>> verify_helpers::take_reader(
    const std::filesystem::path& path, const std::string& vfs) {
    if (!team_ || !team_->opens_reader || team_->reader_given || path != path_ || vfs != vfs_)
        return std::nullopt;
    spin_then_wait(team_->reader_ready, [](bool ready) { return ready; });
    team_->reader_given = true;
    auto connection = std::move(team_->reader->connection);
    if (!connection)
        return connection;  // the open failed: that is the caller's answer too
    team_->reader_taken = connection->get();
    return connection;
}

}  // namespace ballotbox::ledger
