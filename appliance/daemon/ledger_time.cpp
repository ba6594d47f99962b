#include "appliance/daemon/ledger_time.h"

#include <string>

#include "ledger/canonical_json.h"
#include "ledger/ledger.h"

namespace ballotbox::daemon {

result<std::optional<time_point>> latest_recorded_time(const std::filesystem::path& ledger_path) {
    if (!std::filesystem::exists(ledger_path))
        return std::optional<time_point>{};
    BALLOTBOX_ASSIGN_OR_RETURN(auto book, ledger::ledger::open_read_only(ledger_path));
    std::optional<std::int64_t> latest;
    BALLOTBOX_TRY(book.for_each_entry([&](const ledger::entry& e) -> status {
        const std::uint64_t seq = e.seq;
        auto body = ledger::parse_canonical_json(e.body);
        if (!body.ok())
            return make_error("daemon.ledger_time",
                              "ledger entry " + std::to_string(seq) +
                                  " has a body that does not parse: " + body.err().message);
        for (const char* name : {"at", "written_at"}) {
            const auto* v = body->if_contains(name);
            if (v != nullptr && v->is_int64())
                latest = latest ? std::max(*latest, v->as_int64()) : v->as_int64();
        }
        return ok_status();
    }));
    if (!latest)
        return std::optional<time_point>{};
    return std::optional<time_point>{time_point(std::chrono::seconds(*latest))};
}

}  // namespace ballotbox::daemon
