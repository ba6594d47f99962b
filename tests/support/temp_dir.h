// temp_dir: a fresh private directory under the system temporary directory, removed with
// everything in it when the object is destroyed. For tests that need real files.
//
// The directory is created with mode 0700 and a random name (mkdtemp). Removal errors in
// the destructor are ignored (a test must not fail while cleaning up). Not thread-safe.
#pragma once

#include <filesystem>
#include <string>

namespace ballotbox::test_support {

class temp_dir {
  public:
    explicit temp_dir(const std::string& prefix = "ballotbox-test");
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

}  // namespace ballotbox::test_support
