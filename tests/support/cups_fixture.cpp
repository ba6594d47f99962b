#include "tests/support/cups_fixture.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace ballotbox::test_support {
namespace fs = std::filesystem;

namespace {

bool write_text(const fs::path& p, const std::string& s) {
    std::ofstream f(p);
    f << s;
    return static_cast<bool>(f);
}

int run_quiet(const std::string& command, std::string& output) {
    output.clear();
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (p == nullptr)
        return -1;
    char buf[1024];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        output.append(buf, n);
    int st = ::pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace

result<std::unique_ptr<cups_fixture>> cups_fixture::start() {
    std::unique_ptr<cups_fixture> f(new cups_fixture());
    BALLOTBOX_TRY(f->launch());
    return f;
}

status cups_fixture::launch() {
    if (::geteuid() != 0)
        return make_error("test.cups_not_root",
                          "The CUPS tests need root: cupsd and the cups-pdf backend run as root.");
    std::string tmpl = (fs::temp_directory_path() / "ballotbox-cups-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
        return make_error("test.cups_setup", "Cannot create a temporary folder for cupsd.");
    dir_ = tmpl;
    // Filters run as the unprivileged "lp" user: they must be able to reach the spool.
    ::chmod(dir_.c_str(), 0755);
    for (auto sub : {"root", "spool", "spool/tmp", "cache", "state", "out", "pdfspool", "log"})
        fs::create_directories(dir_ / sub);
    ::chmod((dir_ / "out").c_str(), 0777);
    ::chmod((dir_ / "spool/tmp").c_str(), 01777);
    socket_ = dir_ / "cups.sock";
    out_ = dir_ / "out";
    queue_ = "ballotbox-test-" + std::to_string(::getpid());
    if (!write_text(
            dir_ / "root" / "cupsd.conf",
            "LogLevel info\nListen " + socket_.string() +
                "\nBrowsing Off\nDefaultAuthType Basic\nWebInterface No\nMaxJobs 100\n"
                "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
                "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n") ||
        !write_text(
            dir_ / "root" / "cups-files.conf",
            "ServerRoot " + (dir_ / "root").string() + "\nRequestRoot " +
                (dir_ / "spool").string() + "\nTempDir " + (dir_ / "spool/tmp").string() +
                "\nCacheDir " + (dir_ / "cache").string() + "\nStateDir " +
                (dir_ / "state").string() + "\nErrorLog " + (dir_ / "log/error_log").string() +
                "\nAccessLog " + (dir_ / "log/access_log").string() + "\nPageLog " +
                (dir_ / "log/page_log").string() + "\nSystemGroup root\nFileDevice No\nPrintcap " +
                (dir_ / "printcap").string() + "\n"))
        return make_error("test.cups_setup",
                          "Cannot write the cupsd configuration in " + dir_.string());
    pdf_conf_ = fs::path("/etc/cups") / ("cups-pdf-" + queue_ + ".conf");
    if (!write_text(pdf_conf_, "Out " + out_.string() + "\nAnonDirName " + out_.string() +
                                   "\nSpool " + (dir_ / "pdfspool").string() + "\nLog " +
                                   (dir_ / "log").string() +
                                   "\nLabel 1\nUserUMask 0000\nGrp root\n"))
        return make_error("test.cups_setup", "Cannot write " + pdf_conf_.string());

    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0)
        return make_error("test.cups_setup", "fork failed");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
        auto log = (dir_ / "log" / "cupsd.out").string();
        std::FILE* out = std::fopen(log.c_str(), "w");
        if (out) {
            ::dup2(::fileno(out), 1);
            ::dup2(::fileno(out), 2);
        }
        auto conf = (dir_ / "root" / "cupsd.conf").string();
        auto files = (dir_ / "root" / "cups-files.conf").string();
        ::execl("/usr/sbin/cupsd", "cupsd", "-f", "-c", conf.c_str(), "-s", files.c_str(), nullptr);
        ::_exit(127);
    }
    pid_ = pid;
    ::setenv("CUPS_SERVER", socket_.c_str(), 1);
    std::string out;
    bool ready = false;
    for (int i = 0; i < 200 && !ready; ++i) {
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            pid_ = 0;
            return make_error("test.cups_failed", "cupsd exited at start:\n" + log_tail());
        }
        ready = fs::exists(socket_) &&
                run_quiet("lpstat -h '" + socket_.string() + "' -r", out) == 0 &&
                out.find("is running") != std::string::npos;
        if (!ready)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!ready)
        return make_error("test.cups_failed",
                          "cupsd did not answer on " + socket_.string() + ":\n" + log_tail());
    if (run_quiet(
            "lpadmin -h '" + socket_.string() + "' -p " + queue_ + " -E -v cups-pdf:/" + queue_ +
                " -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd -o pdftops-renderer-default=pdftops",
            out) != 0)
        return make_error("test.cups_failed",
                          "lpadmin could not add the cups-pdf queue: " + out + "\n" + log_tail());
    return ok_status();
}

cups_fixture::~cups_fixture() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int st = 0;
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(pid_, &st, WNOHANG) == pid_) {
                pid_ = 0;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &st, 0);
        }
    }
    std::error_code ec;
    if (!pdf_conf_.empty())
        fs::remove(pdf_conf_, ec);
    if (!dir_.empty() && std::getenv("BALLOTBOX_KEEP_CUPS_LOG") == nullptr)
        fs::remove_all(dir_, ec);
}

std::string cups_fixture::log_tail(std::size_t max_bytes) const {
    std::string all;
    for (auto name : {"cupsd.out", "error_log"}) {
        std::ifstream f(dir_ / "log" / name);
        std::stringstream s;
        s << f.rdbuf();
        all += std::string("--- ") + name + "\n" + s.str();
    }
    return all.size() > max_bytes ? all.substr(all.size() - max_bytes) : all;
}

std::string cups_fixture::page_log() const {
    std::ifstream f(dir_ / "log" / "page_log");
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

std::vector<fs::path> cups_fixture::printed_files() const {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(out_, ec))
        if (e.is_regular_file() && e.path().extension() == ".pdf")
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

result<std::vector<fs::path>> cups_fixture::wait_for_printed(std::size_t n) const {
    for (int i = 0; i < 600; ++i) {
        auto files = printed_files();
        if (files.size() >= n)
            return files;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return make_error("test.cups_no_output",
                      "cups-pdf wrote no PDF in " + out_.string() + ":\n" + log_tail());
}

}  // namespace ballotbox::test_support
