#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "protocol/qr_payload.h"
#include "protocol/render/pdf_protocol.h"
#include "protocol/render/qr_matrix.h"
#include "protocol/verify_protocol.h"
#include "tests/protocol/export_fixture.h"
#include "tests/protocol/printed_check.h"

using namespace ballotbox;
using namespace ballotbox::protocol;
namespace fs = std::filesystem;

namespace {

time_point printing_time(const election::election_package& pk) {
    return pk.closes_at + std::chrono::minutes(42);
}

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

// The text with its line breaks as spaces: a long printed line may wrap.
std::string unwrapped(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

}  // namespace

TEST_CASE(
    "the printed result reads back: Kazakh and Russian labels, every Kazakh letter, the figures") {
    test_support::exported_day day;
    auto pdf = day.dir / "protocol.pdf";
    REQUIRE(
        render::write_protocol_pdf(pdf, day.signed_result, day.package, printing_time(day.package))
            .ok());
    if (const char* keep = std::getenv("BALLOTBOX_KEEP_PDF"))  // for looking at it by eye
        fs::copy_file(pdf, keep, fs::copy_options::overwrite_existing);
    auto text = test_support::pdf_text(pdf);
    CHECK(has(text, "Протокол участковой избирательной комиссии"));
    CHECK(has(text, "Учаскелік сайлау комиссиясының"));
    CHECK(has(text, "УЧЕБНЫЙ"));
    CHECK(has(text, "ОҚУ-ЖАТТЫҒУ"));
    for (auto letter : {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і", "Қ"})
        CHECK_MESSAGE(has(text, letter), letter);
    CHECK(has(text, "Время события: 2023-03-19T20:00:00+06:00"));
    CHECK(has(text, "Время печати: 2023-03-19 20:42:00 +0600"));
    CHECK(has(text, "Председатель комиссии"));
    CHECK(has(text, "Көшпелі жәшік / Переносной ящик: "));  // the portable box's state
    CHECK(has(text, "Комиссия хатшысы / Секретарь комиссии"));
    // Figures, each on the line of its label (numbers in the right column).
    auto line_of = [&](const std::string& label) {
        auto at = text.find(label);
        REQUIRE_MESSAGE(at != std::string::npos, label);
        auto end = text.find('\n', at);
        return text.substr(at, end - at);
    };
    CHECK(
        line_of("Учаскеде берілген бюллетеньдер / Выдано бюллетеней на участке").ends_with(" 12"));
    CHECK(line_of("Выдано, но не возвращено").ends_with(" 3"));
    CHECK(line_of("«AMANAT» партиясы / Партия «AMANAT»").ends_with(" 3"));
    CHECK(line_of("Тізімдегі сайлаушылар саны / Число избирателей в списке").ends_with(" 2400"));
    CHECK(line_of("Сайлаушылардың келуі / Явка избирателей").ends_with("0,37 %"));
    // The checks in words, not their ids.
    CHECK(has(unwrapped(text),
              "Выдано = в ящиках + погашено + не возвращено: сәйкес келеді / "
              "выполняется"));
    CHECK(has(unwrapped(text),
              "Голоса + против всех + незаполненные = бюллетени в ящиках: сәйкес келеді"));
    CHECK_FALSE(has(text, "issued_reconciles"));
    CHECK(has(text, render::hex_groups(day.signed_result.document.ledger.root)));
    CHECK(has(text, short_digest(day.signed_result.json)));
}

TEST_CASE(
    "every page's QR codes decode (zbarimg) to the signed result, which verify-protocol vouches "
    "for") {
    test_support::exported_day day;
    auto pdf = day.dir / "protocol.pdf";
    REQUIRE(
        render::write_protocol_pdf(pdf, day.signed_result, day.package, printing_time(day.package))
            .ok());
    auto pages = test_support::pdf_pages(pdf);
    CHECK(pages >= 2);
    auto codes = test_support::pdf_qr_codes(pdf, day.dir / "images");
    REQUIRE(static_cast<int>(codes.size()) == pages);
    auto expected = day.signed_result.qr_texts;
    std::sort(expected.begin(), expected.end());
    for (const auto& page : codes) {
        CHECK(page == expected);
        auto v = verify_qr(page, day.key);
        REQUIRE_MESSAGE(v.ok(), (v.ok() ? "" : v.err().message));
        CHECK(v->document.ballots[0].options[0].votes == 3);
        CHECK(v->reconciled());
    }
    // The same through the command line, fed zbarimg's own output.
    std::string out;
    auto cmd = "zbarimg --quiet -Sdisable -Sqrcode.enable '" + (day.dir / "images").string() +
               "/page-1.png' | " + BALLOTBOX_BINARY_DIR +
               "/tools/verify-protocol/ballotbox-verify-protocol --qr - --key " + to_hex(day.key);
    CHECK_MESSAGE(test_support::run_command(cmd, out) == 0, out);
    CHECK(has(out, "VERIFIED"));
    CHECK(has(out, "ballot district-01: issued 9 + 1 portable"));
}

TEST_CASE("a failed check is printed plainly, and the zero report uses the same renderer") {
    test_support::exported_day day;
    auto key = crypto::ed25519_private_key::from_seed(bytes(32, 0x42)).value();
    auto doc = day.signed_result.document;
    doc.ballots[1].blank += 2;
    doc.checks = compute_checks(doc);
    auto sp = sign_report(report{doc, day.signed_result.checkpoint_note}, key);
    REQUIRE(sp.ok());
    auto pdf = day.dir / "bad.pdf";
    REQUIRE(render::write_protocol_pdf(pdf, *sp, day.package, printing_time(day.package)).ok());
    auto text = test_support::pdf_text(pdf);
    CHECK(has(unwrapped(text),
              "Голоса + против всех + незаполненные = бюллетени в ящиках: "
              "СӘЙКЕС КЕЛМЕЙДІ / НЕ ВЫПОЛНЯЕТСЯ"));
    CHECK(
        has(text, "district-01: votes for options 5 + against all 1 + blank 3 = 9, but cast = 7"));

    test_support::temp_dir dir;
    test_support::protocol_day zday(dir / "ledger.sqlite");
    zday.open();
    auto zero = make_report(zday.book(), zday.package(), {report_kind::zero, std::nullopt});
    REQUIRE(zero.ok());
    auto zsp = sign_report(*zero, zday.appliance_key());
    REQUIRE(zsp.ok());
    auto zpdf = dir / "zero.pdf";
    REQUIRE(render::write_protocol_pdf(zpdf, *zsp, zday.package(), zday.package().opens_at).ok());
    auto ztext = test_support::pdf_text(zpdf);
    CHECK(has(ztext, "Нулевой отчёт"));
    CHECK(has(ztext, "Время события: 2023-03-19T07:00:00+06:00"));
    auto codes = test_support::pdf_qr_codes(zpdf, dir / "images");
    REQUIRE_FALSE(codes.empty());
    auto v = verify_qr(codes[0], zday.appliance_key().public_key().raw());
    REQUIRE(v.ok());
    CHECK(v->document.kind == report_kind::zero);
    CHECK(v->document.ledger.box_size == 0);
}

TEST_CASE("QR codes are level M and a text too large for one code is refused") {
    auto m = render::encode_qr("BBP1:1/1:hello");
    REQUIRE(m.ok());
    CHECK(m->width >= 21);
    CHECK(render::encode_qr(std::string(4000, 'x')).err().code == "protocol.qr_too_large");
}
