#include "common/atomic_file.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

using namespace ballotbox;
namespace fs = std::filesystem;

namespace {

std::string contents(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// The names in a folder, so a test sees any temporary file left behind.
std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("atomic write creates the file with its content and mode and leaves no temporary") {
    test_support::temp_dir dir;
    REQUIRE(write_file_atomically(dir / "a.json", std::string_view("{\"x\":1}\n"), 0640).ok());
    CHECK(contents(dir / "a.json") == "{\"x\":1}\n");
    CHECK(mode_of(dir / "a.json") == 0640);
    REQUIRE(write_file_atomically(dir / "key", std::string_view("secret"), 0600).ok());
    CHECK(mode_of(dir / "key") == 0600);
    REQUIRE(write_file_atomically(dir / "default", std::string_view("d")).ok());
    CHECK(mode_of(dir / "default") == 0644);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"a.json", "default", "key"});
}

TEST_CASE("atomic write replaces an existing file whole, binary and empty content included") {
    test_support::temp_dir dir;
    REQUIRE(write_file_atomically(dir / "f", std::string_view("a long first version"), 0600).ok());
    const bytes binary{0x00, 0xff, 0x0a, 0x00, 0x80};
    REQUIRE(write_file_atomically(dir / "f", byte_view(binary), 0644).ok());
    const auto text = contents(dir / "f");
    CHECK(bytes(text.begin(), text.end()) == binary);
    CHECK(mode_of(dir / "f") == 0644);  // the new file's mode, not the old one's
    REQUIRE(write_file_atomically(dir / "f", std::string_view()).ok());
    CHECK(fs::file_size(dir / "f") == 0);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"f"});
}

TEST_CASE("atomic write into a missing folder fails with file.write_failed naming the file") {
    test_support::temp_dir dir;
    auto s = write_file_atomically(dir / "no-such-folder" / "f", std::string_view("x"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == "file.write_failed");
    CHECK(s.err().message.find("no-such-folder/f") != std::string::npos);
    CHECK(s.err().message.find("No such file or directory") != std::string::npos);
    CHECK(names_in(dir.path()).empty());
}

TEST_CASE("a failed rename removes the temporary file and leaves what was there") {
    // The target is a folder with a file in it: rename(2) refuses to replace it.
    test_support::temp_dir dir;
    fs::create_directory(dir / "target");
    REQUIRE(write_file_atomically(dir / "target" / "inside", std::string_view("kept")).ok());
    auto s = write_file_atomically(dir / "target", std::string_view("new"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == "file.write_failed");
    CHECK(s.err().message.find("renaming") != std::string::npos);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"target"});
    CHECK(contents(dir / "target" / "inside") == "kept");
}

TEST_CASE("atomic write of a bare file name writes in the current folder") {
    test_support::temp_dir dir;
    const auto before = fs::current_path();
    fs::current_path(dir.path());
    auto s = write_file_atomically("bare.txt", std::string_view("here"));
    fs::current_path(before);
    REQUIRE(s.ok());
    CHECK(contents(dir / "bare.txt") == "here");
    CHECK(names_in(dir.path()) == std::vector<std::string>{"bare.txt"});
}
