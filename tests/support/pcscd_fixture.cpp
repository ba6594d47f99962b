#include "tests/support/pcscd_fixture.h"

#include <PCSC/winscard.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace ballotbox::test_support {
namespace {

using namespace std::chrono_literals;

constexpr const char* socket_path = "/run/pcscd/pcscd.comm";
constexpr const char* pid_path = "/run/pcscd/pcscd.pid";
constexpr const char* vpcd_driver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
// Bounds for failure only: a healthy pcscd is ready in well under a second.
constexpr auto ready_limit = 20s;
constexpr auto term_grace = 10s;

bool someone_listens(const char* path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

pid_t pid_in_file() {
    std::ifstream in(pid_path);
    long pid = 0;
    if (!(in >> pid) || pid <= 0)
        return 0;
    return static_cast<pid_t>(pid);
}

// True if `pid` is a running (not zombie) pcscd.
bool is_live_pcscd(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(in, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size())
        return false;
    return line.find("(pcscd)") != std::string::npos && line[close + 2] != 'Z' &&
           line[close + 2] != 'X';
}

status check_no_other_pcscd() {
    const pid_t other = pid_in_file();
    const bool alive = other > 0 && is_live_pcscd(other);
    if (someone_listens(socket_path) || alive) {
        return make_error(
            "test.pcscd_already_running",
            std::string("another pcscd is already serving ") + socket_path +
                (alive ? " (pid " + std::to_string(other) + " in " + pid_path + ")" : "") +
                ". Debian 12's pcscd always uses that socket, so the pcscd tests need it to "
                "themselves: stop that pcscd (this test did not start it and will not stop "
                "it), or wait for the other test run to finish (run the pcscd tests under "
                "`flock /tmp/ballotbox-pcscd.lock`), then run again.");
    }
    return ok_status();
}

// Waits for `pid` to end for at most `limit`; true if it was reaped.
bool reap_within(pid_t pid, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int st = 0;
        const pid_t r = ::waitpid(pid, &st, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD))
            return true;
        if (std::chrono::steady_clock::now() >= until)
            return false;
        std::this_thread::sleep_for(20ms);
    }
}

std::vector<std::string> split_multistring(const char* s, DWORD len) {
    std::vector<std::string> out;
    for (DWORD i = 0; i < len && s[i] != '\0';) {
        std::string name(s + i);
        i += static_cast<DWORD>(name.size()) + 1;
        out.push_back(std::move(name));
    }
    return out;
}

}  // namespace

std::string pcscd_fixture::reader_name(int index) {
    const std::string slot = " 00 0" + std::to_string(index % 2);
    if (index < 2)
        return "Virtual PCD" + slot;
    return "Virtual PCD lane " + std::to_string(index / 2) + slot;
}

std::uint16_t pcscd_fixture::reader_port(int index) {
    return static_cast<std::uint16_t>(35963 + index);
}

result<std::unique_ptr<pcscd_fixture>> pcscd_fixture::start_with_readers(int readers) {
    if (readers < 2 || readers > 16 || readers % 2 != 0)
        return make_error("test.pcscd_bad_reader_count",
                          "vpcd readers come in pairs and pcscd serves at most 16: ask for 2, "
                          "4, ... 16 readers, not " +
                              std::to_string(readers));
    BALLOTBOX_TRY(check_no_other_pcscd());
    std::unique_ptr<pcscd_fixture> f(new pcscd_fixture());
    std::string templ = (std::filesystem::temp_directory_path() / "ballotbox-pcscd-XXXXXX");
    if (!::mkdtemp(templ.data()))
        return make_error("test.pcscd_temp_dir",
                          std::string("cannot create a temporary folder: ") + std::strerror(errno));
    f->dir_ = templ;
    f->log_ = f->dir_ / "pcscd.log";
    f->readers_ = readers;
    f->config_dir_ = f->dir_ / "reader.conf.d";
    std::error_code ec;
    std::filesystem::create_directory(f->config_dir_, ec);
    // vpcd keeps its connections in one global array indexed by slot, so two devices served
    // by one loaded copy of the driver would share their slots: each device gets its own
    // copy of the library file (another inode, so the loader maps it separately).
    const std::filesystem::path driver = vpcd_driver;
    if (!std::filesystem::exists(driver))
        return make_error(
            "test.pcscd_not_started",
            driver.string() + " is missing (package vsmartcard-vpcd; tools/install-deps)");
    std::ofstream conf(f->config_dir_ / "vpcd");
    for (int device = 0; device < readers / 2; ++device) {
        const std::string name =
            device == 0 ? "Virtual PCD" : "Virtual PCD lane " + std::to_string(device);
        const auto library = f->dir_ / ("libifdvpcd-" + std::to_string(device) + ".so");
        std::filesystem::copy_file(driver, library, ec);
        if (ec)
            return make_error("test.pcscd_temp_dir", "cannot copy the vpcd driver to " +
                                                         library.string() + ": " + ec.message());
        char port[16];
        std::snprintf(port, sizeof port, "0x%X", unsigned(reader_port(2 * device)));
        conf << "FRIENDLYNAME \"" << name << "\"\nDEVICENAME   /dev/null:" << port
             << "\nLIBPATH      " << library.string() << "\nCHANNELID    " << port << "\n\n";
    }
    conf.close();
    if (ec || !conf)
        return make_error("test.pcscd_temp_dir",
                          "cannot write the private reader.conf.d in " + f->config_dir_.string());
    BALLOTBOX_TRY(f->start_again());
    return f;
}

result<std::unique_ptr<pcscd_fixture>> pcscd_fixture::start() {
    BALLOTBOX_TRY(check_no_other_pcscd());
    std::unique_ptr<pcscd_fixture> f(new pcscd_fixture());
    std::string templ = (std::filesystem::temp_directory_path() / "ballotbox-pcscd-XXXXXX");
    if (!::mkdtemp(templ.data()))
        return make_error("test.pcscd_temp_dir",
                          std::string("cannot create a temporary folder: ") + std::strerror(errno));
    f->dir_ = templ;
    f->log_ = f->dir_ / "pcscd.log";
    BALLOTBOX_TRY(f->start_again());
    return f;
}

status pcscd_fixture::start_again() {
    if (pid_ != 0)
        return ok_status();
    BALLOTBOX_TRY(check_no_other_pcscd());
    BALLOTBOX_TRY(launch());
    return wait_ready();
}

status pcscd_fixture::launch() {
    {
        std::ofstream mark(log_, std::ios::app);
        mark << "==== pcscd_fixture: starting pcscd --foreground --debug --apdu"
             << (config_dir_.empty() ? std::string() : " -c " + config_dir_.string()) << "\n";
    }
    // Resolved before fork: only async-signal-safe calls happen in the child.
    std::string program;
    for (const char* dir : {"/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
        const std::string candidate = std::string(dir) + "/pcscd";
        if (::access(candidate.c_str(), X_OK) == 0) {
            program = candidate;
            break;
        }
    }
    if (program.empty())
        return make_error("test.pcscd_not_started",
                          "pcscd is not installed (package pcscd; tools/install-deps installs it)");
    const std::string log = log_.string();
    char arg0[] = "pcscd", arg1[] = "--foreground", arg2[] = "--debug", arg3[] = "--apdu",
         arg4[] = "-c";
    std::string config = config_dir_.string();
    char* argv[] = {arg0, arg1, arg2, arg3, nullptr, nullptr, nullptr};
    if (!config_dir_.empty()) {
        argv[4] = arg4;
        argv[5] = config.data();
    }
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child < 0)
        return make_error("test.pcscd_not_started",
                          std::string("cannot fork to run pcscd: ") + std::strerror(errno));
    if (child == 0) {
        // If the test process dies (a crash, a failed REQUIRE that aborts), pcscd goes too:
        // a leftover pcscd would block every later pcscd test.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
        if (in < 0 || out < 0)
            ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execv(program.c_str(), argv);
        ::_exit(127);
    }
    pid_ = child;
    return ok_status();
}

status pcscd_fixture::wait_ready() {
    const auto until = std::chrono::steady_clock::now() + ready_limit;
    std::string last = "no attempt yet";
    std::vector<std::string> wanted;
    for (int i = 0; i < readers_; ++i)
        wanted.push_back(reader_name(i));
    for (;;) {
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            pid_ = 0;
            return make_error("test.pcscd_exited", "pcscd exited before it was ready (status " +
                                                       std::to_string(st) + "); its log " +
                                                       log_.string() + " ends:\n" + log_tail());
        }
        SCARDCONTEXT ctx = 0;
        LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
        if (rv == SCARD_S_SUCCESS) {
            char names[4096];
            DWORD len = sizeof names;
            rv = SCardListReaders(ctx, nullptr, names, &len);
            SCardReleaseContext(ctx);
            if (rv == SCARD_S_SUCCESS) {
                auto readers = split_multistring(names, len);
                std::size_t found = 0;
                for (const auto& w : wanted)
                    found += std::count(readers.begin(), readers.end(), w) > 0 ? 1 : 0;
                if (found == wanted.size())
                    return ok_status();
                last = std::to_string(readers.size()) + " readers listed, not all " +
                       std::to_string(wanted.size()) + " vpcd ones";
            } else {
                last = std::string("SCardListReaders: ") + pcsc_stringify_error(rv);
            }
        } else {
            last = std::string("SCardEstablishContext: ") + pcsc_stringify_error(rv);
        }
        if (std::chrono::steady_clock::now() >= until) {
            stop(stop_mode::kill);
            return make_error("test.pcscd_not_ready",
                              "pcscd did not offer the vpcd readers in time (last: " + last +
                                  "); is /etc/reader.conf.d/vpcd there (package "
                                  "vsmartcard-vpcd) and are ports 35963/35964 free? Its log " +
                                  log_.string() + " ends:\n" + log_tail());
        }
        std::this_thread::sleep_for(50ms);
    }
}

void pcscd_fixture::stop(stop_mode how) {
    if (pid_ == 0)
        return;
    const pid_t child = pid_;
    pid_ = 0;
    if (how == stop_mode::graceful) {
        ::kill(child, SIGTERM);
        if (reap_within(child, term_grace))
            return;
    }
    ::kill(child, SIGKILL);
    reap_within(child, std::chrono::hours(1));
    // A killed pcscd leaves its socket and pid file; remove them only if they are ours.
    if (pid_in_file() == child) {
        ::unlink(socket_path);
        ::unlink(pid_path);
    }
}

status pcscd_fixture::restart(stop_mode how) {
    stop(how);
    return start_again();
}

std::string pcscd_fixture::log_tail(std::size_t max_bytes) const {
    std::ifstream in(log_, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    if (text.size() > max_bytes)
        text = "..." + text.substr(text.size() - max_bytes);
    return text;
}

pcscd_fixture::~pcscd_fixture() {
    stop(stop_mode::graceful);
    if (!dir_.empty() && std::getenv("BALLOTBOX_KEEP_PCSCD_LOG") == nullptr) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
}

}  // namespace ballotbox::test_support
