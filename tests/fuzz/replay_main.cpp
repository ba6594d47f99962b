// Corpus replay for fuzz targets built without libFuzzer (g++, or any CTest run).
//
//   fuzz_replay_<name> <file or directory>...
//
// Feeds every regular file given, and every regular file directly inside each directory
// given (in name order), to LLVMFuzzerTestOneInput once, after LLVMFuzzerInitialize if the
// target defines it. The target signals a failure by aborting; the replay itself fails
// (exit 1) if it cannot read an input or finds no input at all, so an empty or missing
// corpus never passes silently.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

bool run_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
        return false;
    }
    std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A heap copy of exactly the input's size, so ASan catches any read past its end.
    std::vector<std::uint8_t> input(data.begin(), data.end());
    LLVMFuzzerTestOneInput(input.data(), input.size());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    std::size_t runs = 0;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path arg(argv[i]);
        std::vector<std::filesystem::path> files;
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec)) {
            for (const auto& entry : std::filesystem::directory_iterator(arg, ec))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
        } else {
            files.push_back(arg);
        }
        for (const auto& file : files) {
            if (!run_file(file))
                return 1;
            ++runs;
        }
    }
    if (runs == 0) {
        std::fprintf(stderr, "replay: no inputs found (give a corpus directory or files)\n");
        return 1;
    }
    std::printf("replay: %zu inputs, no failure\n", runs);
    return 0;
}
