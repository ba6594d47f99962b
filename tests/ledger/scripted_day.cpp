#include "tests/ledger/scripted_day.h"

#include <doctest/doctest.h>

#include <stdexcept>

namespace ballotbox::test_support {

using namespace std::chrono_literals;

crypto::ed25519_private_key test_key(std::uint8_t fill) {
    bytes seed(32, fill);
    return std::move(crypto::ed25519_private_key::from_seed(seed).value());
}

ledger::genesis_info test_genesis(const crypto::ed25519_private_key& key,
                                  const std::string& origin) {
    ledger::genesis_info g;
    g.election_package_sha256 = crypto::sha256(as_bytes("test election package"));
    g.appliance_key = key.public_key().raw();
    g.origin = origin;
    g.extra["station"] = "010001";
    g.extra["training"] = true;
    return g;
}

time_point poll_opening() {
    // 2023-03-19T01:00:00Z = 07:00 in Kostanay/Almaty (UTC+6 in 2023).
    return time_point(std::chrono::seconds(1679187600));
}

ledger::cast_window turnout_window() {
    std::vector<time_point> b;
    for (auto h : {0h, 3h, 5h, 7h, 9h, 11h, 13h})
        b.push_back(poll_opening() + h);
    return ledger::cast_window::from_boundaries(b).value();
}

day_result run_scripted_day(const std::filesystem::path& file, const day_options& options) {
    manual_clock clock(poll_opening() - 30min);
    crypto::seeded_random random(options.seed);
    auto key = test_key(options.key_fill);
    ledger::ledger_options lo;
    lo.clock = &clock;
    lo.random = &random;
    lo.window = turnout_window();
    auto created = ledger::ledger::create(file, lo, test_genesis(key, options.origin));
    REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.err().message));
    auto& l = *created;
    day_result out;
    out.file = file;
    auto must = [](const auto& r) { REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message)); };

    clock.set(poll_opening());
    must(l.append(ledger::event_type::opening, {{"zero_report", true}}));
    auto note = l.append_checkpoint(ledger::checkpoint_kind::opening, key);
    must(note);
    out.checkpoint_notes.push_back(*note);

    const auto step = std::chrono::seconds(13 * 3600) / (options.voters + 2);
    int turnout_hour = 3;
    for (int v = 0; v < options.voters; ++v) {
        clock.advance(std::chrono::duration_cast<std::chrono::microseconds>(step));
        if (clock.now() >= poll_opening() + std::chrono::hours(turnout_hour) &&
            turnout_hour <= 11) {
            must(
                l.append(ledger::event_type::turnout,
                         {{"cast", static_cast<std::int64_t>(out.casts)}, {"hour", turnout_hour}}));
            auto t = l.append_checkpoint(ledger::checkpoint_kind::turnout, key);
            must(t);
            out.checkpoint_notes.push_back(*t);
            turnout_hour += 2;
        }
        must(l.append(ledger::event_type::issue, {{"style", v % 3 == 0 ? 1 : 0}}));
        if (v % 7 == 3)
            must(l.append(ledger::event_type::rejected_card, {{"reason", 4}}));
        if (v % 6 == 5) {
            must(l.append(ledger::event_type::cancel, {{"confirmed_by", "operator"}}));
            continue;
        }
        ledger::ballot b;
        b.record = to_bytes("ballot record of voter " + std::to_string(v));
        b.booth_signature = bytes(64, static_cast<std::uint8_t>(v));
        b.token = bytes(16, 0);
        random.fill(b.token);
        b.source =
            v % 10 == 9 ? ledger::ballot_source::portable : ledger::ballot_source::stationary;
        must(l.append_cast(b));
        ++out.casts;
    }
    if (options.close) {
        clock.set(poll_opening() + 13h + 5min);
        must(l.append_closing({{"chair", "confirmed"}}));
        auto f = l.append_checkpoint(ledger::checkpoint_kind::final, key);
        must(f);
        out.checkpoint_notes.push_back(*f);
    }
    out.entries = l.size();
    return out;
}

ledger::sqlite::database open_raw(const std::filesystem::path& file) {
    auto db = ledger::sqlite::database::open(file.string(), SQLITE_OPEN_READWRITE, "");
    if (!db)
        throw std::runtime_error(db.err().message);
    return std::move(*db);
}

void exec_raw(const std::filesystem::path& file, const std::string& sql) {
    auto db = open_raw(file);
    auto s = db.exec(sql);
    if (!s)
        throw std::runtime_error(s.err().message);
}

void exec_raw_blob(const std::filesystem::path& file, const std::string& sql, byte_view blob) {
    auto db = open_raw(file);
    auto st = ledger::sqlite::statement::prepare(db, sql);
    if (!st)
        throw std::runtime_error(st.err().message);
    st->bind(1, blob);
    auto s = st->run();
    if (!s)
        throw std::runtime_error(s.err().message);
}

namespace {
ledger::sqlite::statement query(ledger::sqlite::database& db, const std::string& sql) {
    auto st = ledger::sqlite::statement::prepare(db, sql);
    if (!st)
        throw std::runtime_error(st.err().message);
    auto row = st->step();
    if (!row || !*row)
        throw std::runtime_error("no row from " + sql);
    return std::move(*st);
}
}  // namespace

bytes query_blob(const std::filesystem::path& file, const std::string& sql) {
    auto db = open_raw(file);
    return query(db, sql).column_blob(0);
}

std::int64_t query_int(const std::filesystem::path& file, const std::string& sql) {
    auto db = open_raw(file);
    return query(db, sql).column_int(0);
}

std::string query_text(const std::filesystem::path& file, const std::string& sql) {
    auto db = open_raw(file);
    return query(db, sql).column_text(0);
}

}  // namespace ballotbox::test_support
