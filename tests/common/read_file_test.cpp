#include "common/read_file.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

using namespace ballotbox;
namespace fs = std::filesystem;

namespace {

void put(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

}  // namespace

TEST_CASE("read_small_file reads a file up to and exactly at its bound") {
    test_support::temp_dir dir;
    const std::string text("line\n\0binary", 12);
    put(dir / "f", text);
    CHECK(read_small_file(dir / "f", 1024).value() == text);
    CHECK(read_small_file(dir / "f", 12).value() == text);
    put(dir / "empty", "");
    CHECK(read_small_file(dir / "empty", 0).value().empty());
}

TEST_CASE("read_small_file refuses a file one byte over its bound") {
    test_support::temp_dir dir;
    put(dir / "f", std::string(13, 'x'));
    auto r = read_small_file(dir / "f", 12);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == "file.too_large");
    CHECK(r.err().message.find("12 bytes") != std::string::npos);
}

TEST_CASE("read_small_file says which of missing and unreadable it is") {
    test_support::temp_dir dir;
    auto missing = read_small_file(dir / "nothing", 10);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.err().code == "file.missing");
    CHECK(missing.err().message.find("nothing") != std::string::npos);
    auto folder = read_small_file(dir.path(), 10);
    REQUIRE_FALSE(folder.ok());
    CHECK(folder.err().code == "file.unreadable");
    CHECK(folder.err().message.find("not a regular file") != std::string::npos);
}

TEST_CASE("read_small_file reads files whose size stat does not know") {
    // /proc files report size 0 but have content: the reader grows its buffer, within the bound.
    auto r = read_small_file("/proc/self/status", 1 << 20);
    REQUIRE(r.ok());
    CHECK(r->find("Name:") == 0);
    CHECK(read_small_file("/proc/self/status", 8).err().code == "file.too_large");
}
