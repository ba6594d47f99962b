#include "protocol/render/labels.h"

namespace ballotbox::protocol::render {

label report_title(report_kind kind) {
    switch (kind) {
        case report_kind::zero:
            return {"Нөлдік есеп: дауыс беру басталғанда жәшік бос",
                    "Нулевой отчёт: урна пуста при открытии", "Zero report"};
        case report_kind::turnout:
            return {"Сайлаушылардың келуі туралы есеп", "Отчёт о явке избирателей",
                    "Turnout report"};
        case report_kind::result:
            return {"Учаскелік сайлау комиссиясының дауыс беру қорытындылары туралы хаттамасы",
                    "Протокол участковой избирательной комиссии об итогах голосования",
                    "Precinct result protocol"};
    }
    return {"", "", ""};
}

std::optional<label> check_label(std::string_view id) {
    if (id == "issued_reconciles")
        return label{"Берілген = жәшіктегі + жойылған + қайтарылмаған",
                     "Выдано = в ящиках + погашено + не возвращено",
                     "Issued = in the boxes + cancelled + not returned"};
    if (id == "votes_reconcile")
        return label{"Дауыстар + барлығына қарсы + бос = жәшіктегі бюллетеньдер",
                     "Голоса + против всех + незаполненные = бюллетени в ящиках",
                     "Votes + against all + blank = ballots in the boxes"};
    if (id == "took_part_within_list")
        return label{"Қатысқандар тізімдегілерден аспайды",
                     "Принявших участие не больше, чем в списке",
                     "Took part within the voters on the list"};
    if (id == "box_matches_cast_events")
        return label{"Жәшіктегі бюллетеньдер = журналдағы дауыс беру жазбалары",
                     "Бюллетени в урне = записи о голосовании в журнале",
                     "Ballots in the box = cast entries in the ledger"};
    if (id == "cancelled_styles_known")
        return label{"Әр жойылған бюллетеньнің түрі белгілі",
                     "Вид каждого погашенного бюллетеня известен",
                     "Every cancelled card's ballot style is known"};
    return std::nullopt;
}

}  // namespace ballotbox::protocol::render
