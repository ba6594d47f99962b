#include "tests/protocol/scripted_days.h"

namespace ballotbox::test_support {

using cardio::ballot_choice;

void run_reference_day(protocol_day& day) {
    auto P = [](int i) { return ballot_choice::for_option(static_cast<std::uint8_t>(i)); };
    auto against = ballot_choice::against_all();
    auto blank = ballot_choice::left_blank();
    day.open();
    day.cast(day.issue(), {P(0), P(0)});
    day.cast(day.issue(), {P(0), P(1)});
    day.cast(day.issue(), {P(1), against});
    day.turnout(10);
    day.cast(day.issue(), {against, P(0)});
    day.cast(day.issue(), {blank, blank});
    day.cast(day.issue(), {P(6), P(15)});
    day.cast(day.issue("party-list-only"), {P(0)});
    day.cast(day.issue("party-list-only"), {P(2)});
    day.cast(day.issue("both", true), {P(1), P(1)}, ledger::ballot_source::portable);
    day.cancel(day.issue(), true);
    day.issue();
    day.issue();
    day.issue("party-list-only");
    day.close(3);
}

}  // namespace ballotbox::test_support
