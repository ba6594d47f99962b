#include "appliance/daemon/portable_commands.h"

#include "appliance/daemon/control_server.h"
#include "common/atomic_file.h"
#include "common/bytes.h"
#include "crypto/sha256.h"

namespace ballotbox::daemon {
namespace {

boost::json::object done(const status& s) {
    return s.ok() ? ok_response() : error_response(s.err());
}

boost::json::object import_ledger(appliance::poll_day& day, const std::filesystem::path& state_dir,
                                  const bytes& ledger_bytes) {
    const auto folder = state_dir / "portable";
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    const auto incoming = folder / ("incoming-" + to_hex(crypto::sha256(ledger_bytes)) + ".sqlite");
    if (auto written = write_file_atomically(incoming, byte_view(ledger_bytes), 0600); !written)
        return error_response(written.err());
    auto imported = day.import_portable(incoming);
    if (!imported.ok()) {
        std::filesystem::remove(incoming, ec);
        return error_response(imported.err());
    }
    std::filesystem::rename(incoming, folder / (imported->key_id + ".sqlite"), ec);
    auto out = ok_response();
    out["import"] = boost::json::object{{"key", imported->key_id},
                                        {"ballots", imported->ballots},
                                        {"already_in_box", imported->already_in_box},
                                        {"issued", imported->issued},
                                        {"cancelled", imported->cancelled},
                                        {"tree_size", imported->tree_size},
                                        {"ledger_seq", imported->ledger_seq}};
    return out;
}

}  // namespace

boost::json::object run_portable_command(appliance::poll_day& day,
                                         const std::filesystem::path& state_dir,
                                         control_request& request) {
    switch (request.command) {
        case control_command::portable_kit: {
            auto kit = day.make_portable_kit();
            if (!kit.ok())
                return error_response(kit.err());
            auto out = ok_response();
            out["portable_kit"] = *kit;
            return out;
        }
        case control_command::register_portable:
            return done(day.register_portable(request.portable_key));
        case control_command::import_portable:
            return import_ledger(day, state_dir, request.portable_ledger);
        case control_command::portable_not_used:
            return done(day.record_portable_not_used());
        default:
            return error_response(make_error("daemon.internal", "not a portable-box command"));
    }
}

}  // namespace ballotbox::daemon
