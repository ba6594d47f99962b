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

}  // namespace ballotbox::protocol::render
