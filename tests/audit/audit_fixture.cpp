#include "tests/audit/audit_fixture.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "appliance/card_io.h"
#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "common/canonical_json.h"
#include "election/package_builder.h"
#include "election/signed_package.h"
#include "ledger/entry.h"
#include "protocol/signed_protocol.h"
#include "protocol/tally.h"
#include "tools/cardsim/card_image.h"
#include "tools/cardsim/file_system_card.h"

namespace ballotbox::audit::testing {

audit_report run_both(audit_inputs inputs, unsigned ranges) {
    inputs.threads = 1;
    auto one_pass = run(inputs);
    inputs.threads = ranges;
    inputs.min_entries_per_range = 1;
    auto in_ranges = run(inputs);
    INFO("one pass:\n"
         << to_text(one_pass) << "\nin " << ranges << " ranges:\n"
         << to_text(in_ranges));
    CHECK(one_pass.result == in_ranges.result);
    REQUIRE(one_pass.checks.size() == in_ranges.checks.size());
    for (std::size_t i = 0; i < one_pass.checks.size(); ++i) {
        const auto &a = one_pass.checks[i], &b = in_ranges.checks[i];
        CHECK(a.id == b.id);
        CHECK(a.state == b.state);
        if (a.id != "booth_signatures")
            CHECK(a.detail == b.detail);
    }
    CHECK(one_pass.first_failure.has_value() == in_ranges.first_failure.has_value());
    if (one_pass.first_failure && in_ranges.first_failure) {
        const auto &a = *one_pass.first_failure, &b = *in_ranges.first_failure;
        CHECK(a.check == b.check);
        CHECK(a.code == b.code);
        CHECK(a.message == b.message);
        CHECK(a.place == b.place);
        CHECK(a.seq == b.seq);
        CHECK(a.expected == b.expected);
        CHECK(a.found == b.found);
    }
    CHECK(boost::json::serialize(to_json(one_pass).at("figures")) ==
          boost::json::serialize(to_json(in_ranges).at("figures")));
    return one_pass;
}
namespace {

constexpr const char* secret = "sealed-envelope-audit";

class model_card final : public cardio::card_transport {
  public:
    model_card() : card_(blank_image()) {}
    result<bytes> transmit(byte_view apdu) override { return card_.process(apdu); }

  private:
    static cardsim::card_image blank_image() {
        return cardsim::card_image_with_record(
                   cardio::encode_card_record(cardio::blank_card{}).value())
            .value();
    }
    cardsim::file_system_card card_;
};

std::string make_package(audit_day& d) {
    auto tpl =
        parse_json_strict(read_text(std::filesystem::path(BALLOTBOX_SOURCE_DIR) /
                                    "docs/examples/kz-2023-majilis-astana-01.template.json"));
    REQUIRE(tpl.ok());
    d.commission.emplace(crypto::ed25519_private_key::generate(d.random));
    d.booths = {crypto::ed25519_private_key::generate(d.random),
                crypto::ed25519_private_key::generate(d.random)};
    election::package_completion c;
    c.opening_secret = secret;
    c.scrypt = {1024, 8, 1};
    c.booths = {{"booth-1", d.booths[0].public_key()}, {"booth-2", d.booths[1].public_key()}};
    c.training = false;
    auto doc = election::complete_package(*tpl, c, d.random);
    REQUIRE(doc.ok());
    auto text = election::sign_package(*doc, *d.commission);
    REQUIRE(text.ok());
    return *text;
}

void issue_vote_cast(audit_day& d, int voter, bool cast) {
    model_card card;
    auto r = d.day->handle_card(card);
    INFO(r.headline.en);
    REQUIRE(r.outcome == appliance::card_outcome::issued);
    auto contents = appliance::read_card(card);
    REQUIRE(contents.ok());
    auto issued = std::get<cardio::issued_card>(*contents->record);
    std::vector<cardio::ballot_choice> choices;
    for (const auto& slot : issued.issue.style) {
        auto pick = d.random.uniform(slot.option_count + 2u);
        choices.push_back(pick < slot.option_count
                              ? cardio::ballot_choice::for_option(static_cast<std::uint8_t>(pick))
                          : pick == slot.option_count ? cardio::ballot_choice::against_all()
                                                      : cardio::ballot_choice::left_blank());
    }
    auto voted =
        cardio::sign_as_booth(d.booths[static_cast<std::size_t>(voter) % 2], issued, choices);
    REQUIRE(voted.ok());
    REQUIRE(appliance::write_card(card, contents->image, *voted).ok());
    if (!cast)
        return;
    auto c = d.day->handle_card(card);
    INFO(c.headline.en);
    REQUIRE(c.outcome == appliance::card_outcome::accepted);
}

void issue_and_cancel(audit_day& d) {
    model_card card;
    REQUIRE(d.day->handle_card(card).outcome == appliance::card_outcome::issued);
    auto r = d.day->cancel_card(card);
    INFO(r.headline.en);
    REQUIRE(r.outcome == appliance::card_outcome::cancelled);
}

}  // namespace

scratch_dir::scratch_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "ballotbox-audit-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
}

scratch_dir::~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

audit_day::audit_day(const day_options& o) : random(o.seed), clock(time_point{}) {
    package_text = make_package(*this);
    write_text(package_path(), package_text);
    write_text(commission_path(), commission->public_key().to_pem());
    auto pk = election::load_signed_package(package_text, commission->public_key()).value();
    clock.set(pk.opens_at - std::chrono::hours(2));
    appliance::poll_day_config config{.state_dir = state(),
                                      .commission_key = commission->public_key()};
    config.clock = &clock;
    config.random = &random;
    auto started = appliance::poll_day::start(config);
    REQUIRE(started.ok());
    day.emplace(std::move(*started));
    REQUIRE(day->setup(package_text).ok());
    clock.set(pk.opens_at + std::chrono::minutes(1));
    REQUIRE(day->open(secret).ok());
    const int events = o.voters + o.cancels + o.outstanding;
    auto step = (pk.closes_at - pk.opens_at - std::chrono::minutes(30)) / (events + 1);
    int cancelled = 0, kept = 0;
    for (int v = 0; v < events; ++v) {
        clock.advance(std::chrono::duration_cast<std::chrono::microseconds>(step));
        REQUIRE(day->tick().ok());
        if (cancelled < o.cancels && v % 7 == 3) {
            issue_and_cancel(*this);
            ++cancelled;
        } else if (kept < o.outstanding && v % 11 == 5) {
            issue_vote_cast(*this, v, false);
            ++kept;
        } else {
            issue_vote_cast(*this, v, true);
        }
    }
    if (o.close) {
        clock.set(pk.closes_at + std::chrono::minutes(5));
        REQUIRE(day->tick().ok());
        auto closed = day->close();
        INFO((closed.ok() ? "" : closed.err().message));
        REQUIRE(closed.ok());
    }
    day.reset();  // the appliance stops: the ledger file is closed
}

crypto::ed25519_private_key audit_day::appliance_key() const {
    auto key = crypto::ed25519_private_key::load(state() / "appliance.pem");
    REQUIRE(key.ok());
    return *key;
}

namespace {
protocol::signed_protocol signed_result(
    const audit_day& d, const std::function<void(protocol::protocol_document&)>& edit) {
    auto pk = election::load_signed_package(d.package_text, d.commission->public_key()).value();
    auto r = protocol::make_report_from_file(d.ledger_path(), pk,
                                             {protocol::report_kind::result, std::nullopt});
    INFO((r.ok() ? "" : r.err().message));
    REQUIRE(r.ok());
    if (edit)
        edit(r->document);
    auto sp = protocol::sign_report(*r, d.appliance_key());
    INFO((sp.ok() ? "" : sp.err().message));
    REQUIRE(sp.ok());
    return *sp;
}
}  // namespace

std::filesystem::path audit_day::export_protocol(
    const std::string& name, const std::function<void(protocol::protocol_document&)>& edit) const {
    auto pk = election::load_signed_package(package_text, commission->public_key()).value();
    auto sp = signed_result(*this, edit);
    auto out = dir.path() / name;
    auto written = protocol::export_protocol(out, sp, pk);
    INFO((written.ok() ? "" : written.err().message));
    REQUIRE(written.ok());
    return out;
}

std::string audit_day::qr_text(
    const std::function<void(protocol::protocol_document&)>& edit) const {
    std::string out;
    for (const auto& t : signed_result(*this, edit).qr_texts)
        out += t + "\n";
    return out;
}

audit_inputs audit_day::inputs(const std::filesystem::path& ledger) const {
    audit_inputs in;
    in.ledger = ledger;
    in.package = package_path();
    in.commission_key = commission_path();
    return in;
}

std::filesystem::path copy_ledger(const std::filesystem::path& from, const std::string& name) {
    auto to = from.parent_path() / name;
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
    return to;
}

void run_sql(const std::filesystem::path& ledger, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(ledger.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    char* message = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    INFO(sql, ": ", (message ? message : ""));
    sqlite3_free(message);
    CHECK(rc == SQLITE_OK);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db);
}

void rechain(const std::filesystem::path& ledger) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(ledger.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_stmt* read = nullptr;
    sqlite3_stmt* write = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT seq, type, body FROM entries ORDER BY seq", -1, &read,
                               nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_prepare_v2(db, "UPDATE entries SET prev_hash = ?, entry_hash = ? WHERE seq = ?",
                               -1, &write, nullptr) == SQLITE_OK);
    struct row {
        std::int64_t seq, type;
        std::string body;
    };
    std::vector<row> rows;
    while (sqlite3_step(read) == SQLITE_ROW)
        rows.push_back({sqlite3_column_int64(read, 0), sqlite3_column_int64(read, 1),
                        std::string(static_cast<const char*>(sqlite3_column_blob(read, 2)),
                                    static_cast<std::size_t>(sqlite3_column_bytes(read, 2)))});
    sqlite3_finalize(read);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    crypto::digest prev{};
    for (const auto& r : rows) {
        auto hash = ledger::compute_entry_hash(static_cast<std::uint64_t>(r.seq),
                                               static_cast<std::uint32_t>(r.type), r.body, prev);
        sqlite3_bind_blob(write, 1, prev.data(), 32, SQLITE_TRANSIENT);
        sqlite3_bind_blob(write, 2, hash.data(), 32, SQLITE_TRANSIENT);
        sqlite3_bind_int64(write, 3, r.seq);
        REQUIRE(sqlite3_step(write) == SQLITE_DONE);
        sqlite3_reset(write);
        prev = hash;
    }
    sqlite3_finalize(write);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db);
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

std::string logical_content(const std::filesystem::path& ledger) {
    auto uri = "file:" + ledger.string() + "?immutable=1";
    sqlite3* db = nullptr;
    std::string out;
    if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) !=
        SQLITE_OK) {
        sqlite3_close_v2(db);
        return "(unopenable)";
    }
    const char* queries[] = {"SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name",
                             "SELECT * FROM meta ORDER BY key",
                             "SELECT * FROM entries ORDER BY seq",
                             "SELECT * FROM ballots ORDER BY box_key",
                             "SELECT * FROM checkpoints ORDER BY tree_size",
                             "PRAGMA application_id",
                             "PRAGMA user_version"};
    for (const char* q : queries) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, q, -1, &st, nullptr) != SQLITE_OK) {
            out += "(error " + std::string(q) + ")";
            continue;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                out += std::to_string(sqlite3_column_type(st, i)) + ":";
                const auto* b = static_cast<const char*>(sqlite3_column_blob(st, i));
                out += b ? to_hex(as_bytes(std::string_view(
                               b, static_cast<std::size_t>(sqlite3_column_bytes(st, i)))))
                         : "";
                out += "|";
            }
            out += "\n";
        }
        if (rc != SQLITE_DONE)
            out += "(step error " + std::to_string(rc) + ")";
        sqlite3_finalize(st);
    }
    sqlite3_close_v2(db);
    return out;
}

}  // namespace ballotbox::audit::testing
