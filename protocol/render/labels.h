// labels: the fixed texts of the printed reports in Kazakh, Russian and English.
//
// Plain constant data; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "protocol/protocol_document.h"

namespace ballotbox::protocol::render {

struct label {
    std::string_view kk;
    std::string_view ru;
    std::string_view en;
};

label report_title(report_kind kind);
// The words printed for a reconciliation check (docs/protocol-format.md, Checks); none for
// an id this build does not know (the PDF then prints the id itself).
std::optional<label> check_label(std::string_view id);

namespace labels {
inline constexpr label training{"ОҚУ-ЖАТТЫҒУ", "УЧЕБНЫЙ", "TRAINING"};
inline constexpr label station{"Сайлау учаскесі", "Избирательный участок", "Polling station"};
inline constexpr label district{"Сайлау округі", "Избирательный округ", "District"};
inline constexpr label region{"Өңір", "Регион", "Region"};
inline constexpr label event_time{"Оқиға уақыты", "Время события", "Event time"};
inline constexpr label printed_at{"Басып шығарылған уақыты", "Время печати", "Printed at"};
inline constexpr label voters_on_list{"Тізімдегі сайлаушылар саны", "Число избирателей в списке",
                                      "Voters on the list"};
inline constexpr label voters_added{"Тізімге қосымша енгізілгендер",
                                    "Дополнительно включено в список", "Voters added"};
inline constexpr label issued_station{"Учаскеде берілген бюллетеньдер",
                                      "Выдано бюллетеней на участке", "Issued at the station"};
inline constexpr label issued_portable{"Көшпелі жәшікке берілген бюллетеньдер",
                                       "Выдано для переносного ящика",
                                       "Issued for the portable box"};
inline constexpr label portable_box{"Көшпелі жәшік", "Переносной ящик", "Portable box"};
inline constexpr label portable_imported{"деректері енгізілді", "данные введены", "data entered"};
inline constexpr label portable_not_used{"пайдаланылған жоқ", "не использовался", "not used"};
inline constexpr label portable_pending{"деректері енгізілмеген", "данные не введены",
                                        "data not entered"};
inline constexpr label cancelled{"Жойылған бюллетеньдер", "Погашено бюллетеней", "Cancelled"};
inline constexpr label not_returned{"Берілген, бірақ қайтарылмаған", "Выдано, но не возвращено",
                                    "Issued, not returned"};
inline constexpr label cast_station{"Тұрақты жәшіктегі бюллетеньдер",
                                    "Бюллетеней в стационарном ящике", "In the stationary box"};
inline constexpr label cast_portable{"Көшпелі жәшіктегі бюллетеньдер",
                                     "Бюллетеней в переносном ящике", "In the portable box"};
inline constexpr label took_part{"Дауыс беруге қатысқан сайлаушылар",
                                 "Приняли участие в голосовании", "Took part"};
inline constexpr label against_all{"Барлығына қарсы", "Против всех", "Against all"};
inline constexpr label blank{"Бос бюллетеньдер", "Незаполненные бюллетени", "Blank"};
inline constexpr label turnout{"Сайлаушылардың келуі", "Явка избирателей", "Turnout"};
inline constexpr label votes_header{"Дауыстар саны", "Число голосов", "Votes"};
inline constexpr label checks{"Салыстыру тексерісі", "Контрольные соотношения", "Reconciliation"};
inline constexpr label check_holds{"сәйкес келеді", "выполняется", "holds"};
inline constexpr label check_fails{"СӘЙКЕС КЕЛМЕЙДІ", "НЕ ВЫПОЛНЯЕТСЯ", "FAILS"};
inline constexpr label ledger{"Журнал (тексеру нүктесі)", "Журнал (контрольная точка)",
                              "Ledger checkpoint"};
inline constexpr label tree_size{"Жазбалар саны", "Число записей", "Tree size"};
inline constexpr label root{"Түбір хэші", "Корневой хэш", "Root"};
inline constexpr label key_id{"Кілт идентификаторы", "Идентификатор ключа", "Key id"};
inline constexpr label box_root{"Жәшік түбірі", "Корень урны", "Box root"};
inline constexpr label box_size{"Жәшіктегі бюллетеньдер", "Бюллетеней в урне",
                                "Ballots in the box"};
inline constexpr label fingerprint{"Құрылғы кілтінің іздері", "Отпечаток ключа устройства",
                                   "Appliance key fingerprint"};
inline constexpr label chair{"Комиссия төрағасы", "Председатель комиссии", "Chair"};
inline constexpr label secretary{"Комиссия хатшысы", "Секретарь комиссии", "Secretary"};
inline constexpr label members{"Комиссия мүшелері", "Члены комиссии", "Members"};
inline constexpr label seal{"Мөһір орны", "Место печати", "Seal"};
inline constexpr label digest{"Бақылау коды", "Контрольный код", "Digest"};
inline constexpr label qr_note{"QR кодтар қол қойылған нәтижені сақтайды",
                               "QR-коды содержат подписанный результат",
                               "The QR codes carry the signed result"};
inline constexpr label page{"Бет", "Страница", "Page"};
}  // namespace labels

}  // namespace ballotbox::protocol::render
