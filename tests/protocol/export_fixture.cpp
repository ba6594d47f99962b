#include "tests/protocol/export_fixture.h"

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace ballotbox::test_support {

exported_day::exported_day() : export_dir(dir / "export"), package(training_package()) {
    protocol_day day(dir / "ledger.sqlite");
    run_reference_day(day);
    auto rep = protocol::make_report(day.book(), day.package(), {});
    REQUIRE_MESSAGE(rep.ok(), (rep.ok() ? "" : rep.err().message));
    auto sp = protocol::sign_report(*rep, day.appliance_key());
    REQUIRE(sp.ok());
    signed_result = *sp;
    key = day.appliance_key().public_key().raw();
    auto st = protocol::export_protocol(export_dir, signed_result, package);
    REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.err().message));
}

int run_command(const std::string& command, std::string& output) {
    output.clear();
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(p != nullptr);
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        output.append(buf.data(), n);
    int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace ballotbox::test_support
