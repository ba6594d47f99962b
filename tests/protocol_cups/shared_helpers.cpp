// The protocol suite's day builder and read-back helpers, compiled into this suite too (the
// test-support library does not link the ledger, election and cardio libraries).
#include "tests/protocol/export_fixture.cpp"
#include "tests/protocol/printed_check.cpp"
#include "tests/protocol/protocol_day.cpp"
#include "tests/protocol/scripted_days.cpp"
