// `ballotbox watch`: the live view's terminal loop (raw keys, poll() on the socket and the
// keyboard, the alternate screen restored on every exit path).
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <csignal>
#include <iostream>
#include <optional>

#include "tools/ballotbox/cli_commands.h"
#include "tools/ballotbox/control_client.h"
#include "tools/ballotbox/watch_view.h"

namespace ballotbox::cli {

namespace po = boost::program_options;

namespace {

volatile std::sig_atomic_t interrupted = 0;

void on_signal(int) {
    interrupted = 1;
}

// Raw, unechoed keyboard on the alternate screen; restored by the destructor.
class raw_terminal {
  public:
    raw_terminal() {
        active_ = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved_) == 0;
        if (active_) {
            termios raw = saved_;
            raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
            raw.c_cc[VMIN] = 1;
            raw.c_cc[VTIME] = 0;
            ::tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        }
        std::cout << "\x1b[?1049h\x1b[?25l" << std::flush;
    }
    ~raw_terminal() {
        std::cout << "\x1b[?25h\x1b[?1049l" << std::flush;
        if (active_)
            ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
    }
    raw_terminal(const raw_terminal&) = delete;
    raw_terminal& operator=(const raw_terminal&) = delete;

  private:
    termios saved_{};
    bool active_ = false;
};

std::string next_style(const boost::json::object& status) {
    const auto* styles = status.if_contains("styles");
    const auto* current = status.if_contains("next_style");
    if (styles == nullptr || !styles->is_array() || styles->get_array().empty())
        return {};
    const auto& list = styles->get_array();
    for (std::size_t i = 0; i < list.size(); ++i)
        if (current != nullptr && list[i] == *current)
            return std::string(list[(i + 1) % list.size()].as_string());
    return std::string(list[0].as_string());
}

std::string describe_response(const boost::json::object& response, const std::string& done) {
    const auto* ok = response.if_contains("ok");
    if (ok != nullptr && ok->is_bool() && ok->get_bool())
        return done;
    const auto* e = response.if_contains("error");
    if (e != nullptr && e->is_object() && e->get_object().contains("message") &&
        e->at("message").is_string())
        return "refused: " + std::string(e->at("message").as_string());
    return "refused";
}

}  // namespace

int cmd_watch(const global_options& g0, const std::vector<std::string>& args) {
    global_options g = g0;
    po::options_description d(
        "ballotbox watch: the live view for the poll worker at the table.\nKeys: S switches the "
        "ballot style of the next card, C cancels the unvoted card in the\nreader (after "
        "\"NOT VOTED YET\"), Q quits.\nOptions");
    d.add_options()("help,h", "print this help")(
        "socket", po::value<std::string>()->value_name("PATH"),
        "ballotboxd's control socket (default /run/ballotbox/control.sock)")(
        "lang", po::value<std::string>()->value_name("en|ru|kk"), "language of the messages");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(d).run(), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "ballotbox: " << e.what() << " (see ballotbox watch --help)\n";
        return exit_usage;
    }
    if (vm.count("help")) {
        std::cout << d
                  << "\nExit status: 0 after Q; 2 bad usage; 3 the appliance is "
                     "unreachable or the connection was lost.\n";
        return exit_ok;
    }
    if (vm.count("socket"))
        g.socket = vm["socket"].as<std::string>();
    watch_screen screen;
    if (vm.count("lang")) {
        screen.lang = vm["lang"].as<std::string>();
        if (screen.lang != "en" && screen.lang != "ru" && screen.lang != "kk") {
            std::cerr << "ballotbox: --lang must be en, ru or kk\n";
            return exit_usage;
        }
    }
    auto client = control_client::connect(g.socket);
    if (!client.ok()) {
        std::cerr << "ballotbox: " << client.err().message << "\n";
        return exit_unreachable;
    }
    if (auto sent = client->send({{"command", "watch"}}); !sent.ok()) {
        std::cerr << "ballotbox: " << sent.err().message << "\n";
        return exit_unreachable;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    raw_terminal terminal;
    std::optional<std::string> pending;  // what the last key asked, until its response
    for (;;) {
        if (interrupted)
            return exit_ok;
        if (!client->has_buffered_line()) {
            pollfd fds[2] = {{client->fd(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
            const int n = ::poll(fds, 2, 1000);
            if (n < 0)
                continue;  // EINTR: the signal flag is checked above
            if (fds[1].revents & POLLIN) {
                char key = 0;
                if (::read(STDIN_FILENO, &key, 1) == 1) {
                    if (key == 'q' || key == 'Q')
                        return exit_ok;
                    if (key == 'c' || key == 'C') {
                        pending = "cancelled";
                        (void)client->send({{"command", "cancel"}});
                    } else if (key == 's' || key == 'S') {
                        const std::string style = next_style(screen.status);
                        if (!style.empty()) {
                            pending = "next card's ballots: " + style;
                            (void)client->send({{"command", "style"}, {"style", style}});
                        }
                    }
                }
            }
            if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
        }
        auto line = client->read_object();
        if (!line.ok()) {
            screen.connected = false;
            std::cout << render_watch(screen) << std::flush;
            return exit_unreachable;
        }
        if (const auto* event = line->if_contains("event"); event != nullptr) {
            if (*event == "status" && line->contains("status") && line->at("status").is_object()) {
                screen.status = line->at("status").as_object();
                if (const auto* card = screen.status.if_contains("last_card");
                    card != nullptr && card->is_object() && !screen.last_card)
                    screen.last_card = card->as_object();
            } else if (*event == "card" && line->contains("card") && line->at("card").is_object()) {
                screen.last_card = line->at("card").as_object();
                screen.notice.clear();
            }
        } else if (pending) {
            screen.notice = describe_response(*line, *pending);
            pending.reset();
        }
        std::cout << render_watch(screen) << std::flush;
    }
}

}  // namespace ballotbox::cli
