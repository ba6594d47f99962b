// The audit of the imported portable boxes (docs/portable-box.md, docs/audit.md): each
// portable ledger given is checked as the import checked it (appliance::check_portable_ledger,
// with the MAC key the station's closing entry reveals and the keys its ledger registered),
// must be the one a portable_import event of this ledger pins (key, tree size, root), and
// must account for that event's ballots; every import must have its ledger given.
#include "appliance/portable_ledger.h"
#include "audit/audit_context.h"

namespace ballotbox::audit::detail {

step_result check_portable_ledgers(context& c, std::string& detail) {
    const auto& f = c.chain;
    if (!f.mac_key)
        return unusable("portable", "closing entry",
                        "The portable ledgers are checked with the MAC key the closing entry "
                        "reveals, and this ledger is not closed.");
    appliance::portable_expectations expect;
    expect.package = &*c.package;
    expect.mac_key = *f.mac_key;
    expect.registered_keys = f.portable_keys;
    std::vector<bool> matched(f.portable_imports.size(), false);
    for (const auto& file : c.in.portable_ledgers) {
        auto checked = appliance::check_portable_ledger(file, expect);
        if (!checked)
            return tampered("portable", file.string(), checked.err().message,
                            "a portable ledger "
                            "that passes the import's checks",
                            checked.err().code);
        const auto key = appliance::portable_key_id(checked->appliance_key);
        std::size_t i = 0;
        while (i < f.portable_imports.size() && f.portable_imports[i].key != key)
            ++i;
        if (i == f.portable_imports.size())
            return tampered("portable", file.string(),
                            "This portable ledger was never imported into this station's ledger.",
                            "a portable_import of key " + key.substr(0, 16), "none");
        const auto& imp = f.portable_imports[i];
        if (imp.tree_size != static_cast<std::int64_t>(checked->tree_size) ||
            imp.root != to_hex(checked->root))
            return tampered(
                "portable", entry_place(imp.seq),
                "The import pins another state of this portable ledger.",
                std::to_string(imp.tree_size) + " entries, root " + imp.root,
                std::to_string(checked->tree_size) + " entries, root " + to_hex(checked->root),
                imp.seq);
        if (imp.ballots + imp.already_in_box != static_cast<std::int64_t>(checked->ballots.size()))
            return tampered("portable", entry_place(imp.seq),
                            "The import does not account for every ballot of the portable box.",
                            std::to_string(checked->ballots.size()),
                            std::to_string(imp.ballots) + " + " +
                                std::to_string(imp.already_in_box) + " already in the box",
                            imp.seq);
        matched[i] = true;
    }
    for (std::size_t i = 0; i < matched.size(); ++i)
        if (!matched[i])
            return unusable("portable", entry_place(f.portable_imports[i].seq),
                            "The ledger of the portable box this entry imports was not given "
                            "(--portable FILE).");
    detail = std::to_string(matched.size()) + " portable ledger(s) verified and pinned";
    return std::nullopt;
}

}  // namespace ballotbox::audit::detail
