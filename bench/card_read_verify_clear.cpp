// card_read_verify_clear: the time to read, verify and clear one voted card through the real
// pcscd and the vsmartcard vpcd driver, side by side in the same run with the bare exchange
// of the same APDU bytes.
//
//  software: card_session::open (an idle card I/O process from the previous card, or a fresh
//    fork for the first, establishes a context, connects and begins a transaction; every
//    APDU is relayed to it), SELECT the record EF, READ
//    BINARY the 8-byte header, card_record_size, READ BINARY the rest, parse_card_record,
//    verify_issue_mac, verify_booth_signature, plan_write over the record read (128-byte
//    chunks, as the appliance writes) and UPDATE BINARY each chunk to the blank record, close.
//  bare: the APDUs the software sent, byte for byte, with plain PC/SC (establish context,
//    SCardConnect, SCardBeginTransaction, SCardTransmit each, end, disconnect, release), no
//    parsing and no verification.
// Between iterations (untimed) the card is read back (it must be blank) and the voted record
// written again. The card is cardsim's virtual card (T=1) served on vpcd reader 0.
// Ratio = bare / software: 1.0 means the software adds nothing to the card's own time.
//
// pcscd is started by this program (tests/support/pcscd_fixture.h) and refuses to start when
// another one runs: on a shared machine run it under `flock /tmp/ballotbox-pcscd.lock`.
// Usage: card_read_verify_clear [iterations-per-run] [runs]
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_stats.h"
#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "cardio/card_session.h"
#include "cardio/card_write_plan.h"
#include "cardio/iso7816.h"
#include "crypto/random.h"
#include "tests/support/pcscd_fixture.h"
#include "tools/cardsim/card_image.h"
#include "tools/cardsim/virtual_card_connection.h"

using namespace ballotbox;
using namespace ballotbox::bench;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t write_chunk_size = 128;  // as appliance/card_io.cpp writes

void must(const status& s, const char* what) {
    if (!s)
        throw std::runtime_error(std::string(what) + ": " + s.err().code + ": " + s.err().message);
}
template <typename T>
T must(result<T> r, const char* what) {
    if (!r)
        throw std::runtime_error(std::string(what) + ": " + r.err().code + ": " + r.err().message);
    return std::move(*r);
}

// Forwards to the session, keeping each command and the time spent inside transmit.
class recording_transport final : public cardio::card_transport {
  public:
    explicit recording_transport(cardio::card_transport& inner) : inner_(inner) {}
    result<bytes> transmit(byte_view apdu) override {
        commands.emplace_back(apdu.begin(), apdu.end());
        auto t0 = bench_clock::now();
        auto r = inner_.transmit(apdu);
        exchange_seconds += seconds_since(t0);
        if (r)
            answers.push_back(*r);
        return r;
    }
    std::vector<bytes> commands, answers;
    double exchange_seconds = 0;

  private:
    cardio::card_transport& inner_;
};

struct card_keys {
    bytes mac_key;
    crypto::ed25519_private_key booth;
};

struct sw_timing {
    double total = 0, exchange = 0;
    std::vector<bytes> commands, answers;
};

// The software path, timed as a whole.
sw_timing read_verify_clear(const std::string& reader, const card_keys& keys,
                            const crypto::ed25519_public_key& booth_pub, const bytes& blank) {
    auto t0 = bench_clock::now();
    auto session = must(cardio::card_session::open(reader), "open session");
    recording_transport rec(*session);
    cardio::iso7816_card iso(rec);
    must(iso.select_ef(cardio::card_record_file_id), "select");
    auto record = must(iso.read_binary(0, cardio::card_header_size), "read header");
    auto size = must(cardio::card_record_size(record), "record size");
    auto rest = must(iso.read_binary(cardio::card_header_size, size - cardio::card_header_size),
                     "read record");
    record.insert(record.end(), rest.begin(), rest.end());
    auto parsed = must(cardio::parse_card_record(record), "parse");
    const auto* voted = std::get_if<cardio::voted_card>(&parsed);
    if (!voted)
        throw std::runtime_error("the card is not voted");
    must(cardio::verify_issue_mac(keys.mac_key, voted->issued), "issue MAC");
    must(cardio::verify_booth_signature(*voted, booth_pub), "booth signature");
    auto plan = must(cardio::plan_write(record, blank, write_chunk_size), "plan");
    for (const auto& chunk : plan)
        must(iso.update_binary(chunk.offset, chunk.data), "update");
    must(session->close(), "close");
    sw_timing t;
    t.total = seconds_since(t0);
    t.exchange = rec.exchange_seconds;
    t.commands = std::move(rec.commands);
    t.answers = std::move(rec.answers);
    return t;
}

void pcsc_check(LONG rc, const char* what) {
    if (rc != SCARD_S_SUCCESS)
        throw std::runtime_error(std::string(what) + " failed: " + pcsc_stringify_error(rc));
}

struct bare_timing {
    double total = 0, exchange = 0;
};

// The same APDUs with plain PC/SC; every answer must match the software run's.
bare_timing bare_exchange(const std::string& reader, const sw_timing& sw) {
    auto t0 = bench_clock::now();
    SCARDCONTEXT ctx = 0;
    pcsc_check(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx), "context");
    SCARDHANDLE card = 0;
    DWORD proto = 0;
    pcsc_check(SCardConnect(ctx, reader.c_str(), SCARD_SHARE_SHARED,
                            SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &proto),
               "connect");
    pcsc_check(SCardBeginTransaction(card), "begin transaction");
    const SCARD_IO_REQUEST* pci = proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    double exchange = 0;
    std::vector<bytes> answers;
    unsigned char buf[260];
    for (const auto& c : sw.commands) {
        DWORD len = sizeof buf;
        auto e0 = bench_clock::now();
        pcsc_check(SCardTransmit(card, pci, c.data(), c.size(), nullptr, buf, &len), "transmit");
        exchange += seconds_since(e0);
        answers.emplace_back(buf, buf + len);
    }
    pcsc_check(SCardEndTransaction(card, SCARD_LEAVE_CARD), "end transaction");
    pcsc_check(SCardDisconnect(card, SCARD_LEAVE_CARD), "disconnect");
    pcsc_check(SCardReleaseContext(ctx), "release");
    bare_timing t{seconds_since(t0), exchange};
    if (answers != sw.answers)
        throw std::runtime_error("the bare exchange got other answers than the software run");
    return t;
}

// Untimed: the card must be blank now; then the voted record goes back on.
void check_blank_and_restore(const std::string& reader, const bytes& voted) {
    auto session = must(cardio::card_session::open(reader), "open session");
    cardio::iso7816_card iso(*session);
    must(iso.select_ef(cardio::card_record_file_id), "select");
    auto image = must(iso.read_binary(0, cardio::max_card_record_size), "read");
    auto parsed = must(cardio::parse_card_image(image), "parse cleared card");
    if (!std::holds_alternative<cardio::blank_card>(parsed))
        throw std::runtime_error("the card was not cleared to blank");
    auto plan = must(cardio::plan_write(image, voted, write_chunk_size), "plan");
    for (const auto& chunk : plan)
        must(iso.update_binary(chunk.offset, chunk.data), "restore");
}

}  // namespace

int main(int argc, char** argv) {
    int iterations = argc > 1 ? std::atoi(argv[1]) : 30;
    int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    try {
        auto pcscd = must(test_support::pcscd_fixture::start(), "start pcscd");
        const std::string reader = test_support::pcscd_fixture::reader_name(0);

        crypto::seeded_random random(33);
        card_keys keys{bytes(32), crypto::ed25519_private_key::generate(random)};
        random.fill(keys.mac_key);
        const auto booth_pub = keys.booth.public_key();
        cardio::issue_data issue;
        issue.election_id = crypto::sha256(as_bytes("bench election package"));
        issue.station_id = "010001";
        issue.style = {{0, 7}, {1, 16}};  // the party list and a single-member district
        random.fill(issue.token);
        auto issued = must(cardio::make_issued_card(keys.mac_key, issue), "issue");
        auto voted = must(cardio::sign_as_booth(keys.booth, issued,
                                                {cardio::ballot_choice::for_option(3),
                                                 cardio::ballot_choice::against_all()}),
                          "vote");
        const bytes voted_bytes = must(cardio::encode_card_record(voted), "encode voted");
        const bytes blank_bytes = must(cardio::encode_card_record(cardio::blank_card{}), "blank");

        auto image = must(cardsim::blank_card_image(cardsim::default_layout()), "image");
        std::copy(voted_bytes.begin(), voted_bytes.end(), image.files.at(0).content.begin());
        cardsim::virtual_card_connection card(cardsim::file_system_card(image), {.reader = 0});
        card.insert();
        if (!card.wait_connected(10s))
            throw std::runtime_error("the virtual card did not connect to vpcd");
        // Wait until pcscd has powered the card (vpcd polls every 400 ms).
        auto until = bench_clock::now() + 15s;
        while (!cardio::card_session::open(reader)) {
            if (bench_clock::now() > until)
                throw std::runtime_error("pcscd does not see the card in " + reader);
            std::this_thread::sleep_for(50ms);
        }
        std::fprintf(stderr, "card_read_verify_clear: voted record %zu bytes, %d runs of %d\n",
                     voted_bytes.size(), runs, iterations);

        struct run_result {
            double sw, sw_ex, bare, bare_ex, sw_own, bare_own;
            std::size_t apdus;
        };
        std::vector<run_result> results;
        for (int r = 0; r < runs; ++r) {
            std::vector<double> sw, sw_ex, bare, bare_ex, sw_own, bare_own;
            std::size_t apdus = 0;
            for (int i = 0; i < iterations; ++i) {
                auto s = read_verify_clear(reader, keys, booth_pub, blank_bytes);
                check_blank_and_restore(reader, voted_bytes);
                auto b = bare_exchange(reader, s);
                check_blank_and_restore(reader, voted_bytes);
                sw.push_back(s.total);
                sw_ex.push_back(s.exchange);
                bare.push_back(b.total);
                bare_ex.push_back(b.exchange);
                sw_own.push_back(s.total - s.exchange);
                bare_own.push_back(b.total - b.exchange);
                apdus = s.commands.size();
            }
            results.push_back({median(sw), median(sw_ex), median(bare), median(bare_ex),
                               median(sw_own), median(bare_own), apdus});
            const auto& x = results.back();
            std::fprintf(stderr,
                         "  run %d: software %.2f ms (%.2f in APDUs), bare %.2f ms (%.2f in "
                         "APDUs), outside SCardTransmit: software %.2f ms, bare %.2f ms; ratio "
                         "%.2f\n",
                         r + 1, x.sw * 1e3, x.sw_ex * 1e3, x.bare * 1e3, x.bare_ex * 1e3,
                         x.sw_own * 1e3, x.bare_own * 1e3, x.bare / x.sw);
        }
        std::sort(results.begin(), results.end(), [](const run_result& a, const run_result& b) {
            return a.bare / a.sw < b.bare / b.sw;
        });
        const auto& m = results[results.size() / 2];
        print_row("card_read_verify_clear (" + std::to_string(m.apdus) + " APDUs, vpcd, T=1)",
                  fmt("%.2f ms per card", m.sw * 1e3) +
                      fmt(" (%.2f ms in transmit, relay included,", m.sw_ex * 1e3) +
                      fmt(" %.2f ms outside)", m.sw_own * 1e3),
                  fmt("bare PC/SC, same APDUs: %.2f ms", m.bare * 1e3) +
                      fmt(" (%.2f ms in SCardTransmit,", m.bare_ex * 1e3) +
                      fmt(" %.2f ms outside)", m.bare_own * 1e3),
                  m.bare / m.sw, "near 1 (software's own cost small)");
        card.remove();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "card_read_verify_clear: %s\n", e.what());
        return 1;
    }
    return 0;
}
