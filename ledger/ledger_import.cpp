// ledger: the ballot rows (shared by append_cast) and the portable box's import, the one
// append that writes many entries in a single transaction.
#include "crypto/random.h"
#include "ledger/canonical_json.h"
#include "ledger/in_transaction.h"
#include "ledger/ledger.h"

namespace ballotbox::ledger {

status ledger::insert_ballot(const ballot& b) {
    random_source& random = options_.random ? *options_.random : crypto::system_random_source();
    box_key key{};
    random.fill(key);
    auto seen = sqlite::statement::prepare(db_, "SELECT 1 FROM ballots WHERE token = ?1");
    if (!seen)
        return seen.err();
    seen->bind(1, b.token);
    auto found = seen->step();
    if (!found)
        return found.err();
    if (*found)
        return make_error("ledger.token_already_recorded",
                          "a ballot with this token is already in the box; the card was "
                          "counted before and must only be cleared");
    auto insert = sqlite::statement::prepare(
        db_,
        "INSERT INTO ballots(box_key, record, booth_signature, token, source) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert)
        return insert.err();
    insert->bind(1, key)
        .bind(2, b.record)
        .bind(3, b.booth_signature)
        .bind(4, b.token)
        .bind(5, static_cast<std::int64_t>(b.source));
    if (auto s = insert->run(); !s) {
        if (s.err().code == "ledger.constraint")
            return make_error("ledger.box_key_collision",
                              "the random box key is already taken (the random source is "
                              "broken); nothing was recorded");
        return s.err();
    }
    return ok_status();
}

status ledger::write_back_log() {
    if (read_only_)
        return make_error("ledger.read_only", "the ledger is open read-only");
    return db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

result<std::uint64_t> ledger::append_portable_import(const std::vector<ballot>& ballots,
                                                     const boost::json::object& import_body) {
    BALLOTBOX_TRY(writable());
    for (const auto& b : ballots) {
        BALLOTBOX_TRY(check_ballot(b));
        if (b.source != ballot_source::portable)
            return make_error("ledger.bad_import",
                              "an imported ballot must come from the portable box");
    }
    auto import_text = to_canonical_json(import_body);
    if (!import_text)
        return import_text.err();
    const system_clock_source system_clock;
    const clock_source& clock = options_.clock ? *options_.clock : system_clock;
    const std::string cast_body =
        make_cast_body(ballot_source::portable, options_.window.window_start(clock.now()));

    std::vector<std::pair<event_type, crypto::digest>> written;
    written.reserve(ballots.size() + 1);
    std::uint64_t seq = tree_.end();
    crypto::digest prev = head_;
    auto insert = [&](event_type type, const std::string& body) -> status {
        BALLOTBOX_ASSIGN_OR_RETURN(auto hash, insert_entry_at(seq, prev, type, body));
        written.emplace_back(type, hash);
        prev = hash;
        ++seq;
        return ok_status();
    };
    auto stored = in_transaction([&]() -> status {
        for (const auto& b : ballots) {
            BALLOTBOX_TRY(insert_ballot(b));
            BALLOTBOX_TRY(insert(event_type::cast, cast_body));
        }
        return insert(event_type::portable_import, *import_text);
    });
    if (!stored)
        return stored.err();
    for (const auto& [type, hash] : written)
        commit_entry(type, hash);
    return seq - 1;
}

}  // namespace ballotbox::ledger
