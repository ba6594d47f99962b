#include "appliance/refusal_reason.h"

#include <array>

namespace ballotbox::appliance {
namespace {

struct reason_text {
    refusal_reason reason;
    std::string_view name;
    localized_text headline;
    localized_text what_to_do;
};

// One row per reason, in code order.
const std::array<reason_text, 19>& table() {
    static const std::array<reason_text, 19> rows = {{
        {refusal_reason::polls_not_open,
         "polls_not_open",
         {"Polls are not open", "Голосование не открыто", "Дауыс беру ашылған жоқ"},
         {"Keep the card. Cards are taken only after the chair opens the poll.",
          "Сохраните карту. Карты принимаются только после открытия голосования председателем.",
          "Картаны сақтаңыз. Карталар төраға дауыс беруді ашқаннан кейін ғана қабылданады."}},
        {refusal_reason::polls_closed,
         "polls_closed",
         {"Polls closed: no new cards", "Голосование закрыто: карты не выдаются",
          "Дауыс беру жабылды: карта берілмейді"},
         {"The closing time has passed. Only cards issued before may still be cast.",
          "Время закрытия прошло. Можно опустить только карты, выданные ранее.",
          "Жабылу уақыты өтті. Тек бұрын берілген карталарды ғана салуға болады."}},
        {refusal_reason::poll_ended,
         "poll_ended",
         {"The poll has ended", "Голосование завершено", "Дауыс беру аяқталды"},
         {"The chair has closed the poll. Set the card aside and call the chair.",
          "Председатель закрыл голосование. Отложите карту и позовите председателя.",
          "Төраға дауыс беруді жапты. Картаны бөлек қойып, төрағаны шақырыңыз."}},
        {refusal_reason::foreign_election,
         "foreign_election",
         {"Card of another election", "Карта другого голосования", "Басқа сайлаудың картасы"},
         {"Set the card aside and call the chair. Do not give it to a voter.",
          "Отложите карту и позовите председателя. Не выдавайте её избирателю.",
          "Картаны бөлек қойып, төрағаны шақырыңыз. Оны сайлаушыға бермеңіз."}},
        {refusal_reason::foreign_station,
         "foreign_station",
         {"Card of another polling station", "Карта другого участка", "Басқа учаскенің картасы"},
         {"Set the card aside and call the chair. Do not give it to a voter.",
          "Отложите карту и позовите председателя. Не выдавайте её избирателю.",
          "Картаны бөлек қойып, төрағаны шақырыңыз. Оны сайлаушыға бермеңіз."}},
        {refusal_reason::mac_wrong,
         "mac_wrong",
         {"Card not activated by this ballot box", "Карта активирована не этой урной",
          "Картаны бұл жәшік белсендірмеген"},
         {"Set the card aside and call the chair.", "Отложите карту и позовите председателя.",
          "Картаны бөлек қойып, төрағаны шақырыңыз."}},
        {refusal_reason::token_not_issued_here,
         "token_not_issued_here",
         {"Card was not issued here", "Карта выдана не здесь", "Карта мұнда берілмеген"},
         {"The ballot is not counted. Set the card aside and call the chair.",
          "Бюллетень не учтён. Отложите карту и позовите председателя.",
          "Бюллетень есептелмеді. Картаны бөлек қойып, төрағаны шақырыңыз."}},
        {refusal_reason::booth_unknown,
         "booth_unknown",
         {"Unknown voting booth", "Неизвестная кабина", "Белгісіз кабина"},
         {"The card was marked by a terminal this station does not know. Call the chair.",
          "Карта заполнена неизвестным терминалом. Позовите председателя.",
          "Картаны белгісіз терминал толтырған. Төрағаны шақырыңыз."}},
        {refusal_reason::booth_signature_wrong,
         "booth_signature_wrong",
         {"Card altered after voting", "Карта изменена после голосования",
          "Карта дауыс бергеннен кейін өзгертілген"},
         {"The booth's signature does not match. Set the card aside and call the chair.",
          "Подпись кабины не совпадает. Отложите карту и позовите председателя.",
          "Кабинаның қолтаңбасы сәйкес келмейді. Картаны бөлек қойып, төрағаны шақырыңыз."}},
        {refusal_reason::choice_out_of_range,
         "choice_out_of_range",
         {"Choice not on the ballot", "Выбор вне бюллетеня", "Таңдау бюллетеньде жоқ"},
         {"Set the card aside and call the chair.", "Отложите карту и позовите председателя.",
          "Картаны бөлек қойып, төрағаны шақырыңыз."}},
        {refusal_reason::style_unknown,
         "style_unknown",
         {"Unknown ballot set on the card", "Неизвестный набор бюллетеней",
          "Белгісіз бюллетеньдер жиынтығы"},
         {"Set the card aside and call the chair.", "Отложите карту и позовите председателя.",
          "Картаны бөлек қойып, төрағаны шақырыңыз."}},
        {refusal_reason::malformed,
         "malformed",
         {"Card damaged", "Карта повреждена", "Карта зақымдалған"},
         {"Insert it again; if this repeats, set the card aside and call the chair.",
          "Вставьте её снова; если повторится, отложите карту и позовите председателя.",
          "Қайта салыңыз; қайталанса, картаны бөлек қойып, төрағаны шақырыңыз."}},
        {refusal_reason::torn,
         "torn",
         {"Card write was interrupted", "Запись на карту прервана", "Картаға жазу үзілді"},
         {"The card has been cleared if it stayed in. If a voter brought it, call the chair.",
          "Карта очищена, если её не вынули. Если её принёс избиратель, позовите председателя.",
          "Карта шығарылмаса тазартылды. Оны сайлаушы әкелсе, төрағаны шақырыңыз."}},
        {refusal_reason::removed,
         "removed",
         {"Card removed too early", "Карта вынута слишком рано", "Карта тым ерте шығарылды"},
         {"Insert it again and wait for the answer.", "Вставьте её снова и дождитесь ответа.",
          "Қайта салып, жауапты күтіңіз."}},
        {refusal_reason::unreadable,
         "unreadable",
         {"Card cannot be read", "Карта не читается", "Карта оқылмайды"},
         {"Insert it again; if this repeats, set the card aside and call the chair.",
          "Вставьте её снова; если повторится, отложите карту и позовите председателя.",
          "Қайта салыңыз; қайталанса, картаны бөлек қойып, төрағаны шақырыңыз."}},
        {refusal_reason::not_a_ballot_card,
         "not_a_ballot_card",
         {"Not a ballot card", "Это не карта для голосования", "Бұл дауыс беру картасы емес"},
         {"Use a card prepared for this polling station.",
          "Используйте карту, подготовленную для этого участка.",
          "Осы учаскеге дайындалған картаны пайдаланыңыз."}},
        {refusal_reason::already_recorded,
         "already_recorded",
         {"Already recorded", "Уже учтено", "Бұрын есепке алынған"},
         {"This ballot was counted before; the card is now blank. Use it for the next voter.",
          "Этот бюллетень уже учтён; карта очищена. Используйте её для следующего избирателя.",
          "Бұл бюллетень бұрын есептелген; карта тазартылды. Келесі сайлаушыға пайдаланыңыз."}},
        {refusal_reason::token_cancelled,
         "token_cancelled",
         {"Card was cancelled", "Карта была аннулирована", "Карта жойылған"},
         {"The card is now blank. If its voter has not voted, issue them a new card.",
          "Карта очищена. Если избиратель не проголосовал, выдайте ему новую карту.",
          "Карта тазартылды. Сайлаушы дауыс бермесе, оған жаңа карта беріңіз."}},
        {refusal_reason::storage_failure,
         "storage_failure",
         {"Ballot box storage failed", "Ошибка записи урны", "Жәшікке жазу қатесі"},
         {"Nothing was recorded. Keep the card and call the chair.",
          "Ничего не записано. Сохраните карту и позовите председателя.",
          "Ештеңе жазылмады. Картаны сақтап, төрағаны шақырыңыз."}},
    }};
    return rows;
}

const reason_text& row(refusal_reason reason) {
    return table()[static_cast<std::size_t>(reason) - 1];
}

}  // namespace

std::int64_t reason_code(refusal_reason reason) {
    return static_cast<std::int64_t>(reason);
}

std::optional<refusal_reason> refusal_reason_from_code(std::int64_t code) {
    if (code < 1 || code > static_cast<std::int64_t>(table().size()))
        return std::nullopt;
    return static_cast<refusal_reason>(code);
}

std::string_view refusal_reason_name(refusal_reason reason) {
    return row(reason).name;
}

bool is_note(refusal_reason reason) {
    return reason == refusal_reason::already_recorded || reason == refusal_reason::token_cancelled;
}

localized_text refusal_headline(refusal_reason reason) {
    return row(reason).headline;
}

localized_text refusal_what_to_do(refusal_reason reason) {
    return row(reason).what_to_do;
}

}  // namespace ballotbox::appliance
