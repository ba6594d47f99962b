#include "cardio/card_io_child.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>
#include <variant>

#include "cardio/card_io_wire.h"

namespace ballotbox::cardio {
namespace {

constexpr int child_socket = 3;

void keep_only_stdio_and(int socket) {
    if (socket != child_socket) {
        ::dup2(socket, child_socket);
        ::close(socket);
    }
    ::close_range(child_socket + 1, ~0U, 0);
}

void send_reply(const card_io_wire::reply& r) {
    const bytes message = card_io_wire::encode(r);
    while (::send(child_socket, message.data(), message.size(), MSG_NOSIGNAL) < 0 &&
           errno == EINTR) {
    }
}

[[noreturn]] void finish(std::unique_ptr<pcsc_card>& card) {
    if (card)
        (void)card->close();
    ::_exit(0);
}

[[noreturn]] void refuse(std::unique_ptr<pcsc_card>& card, const std::string& what) {
    send_reply(card_io_wire::failed{make_error(
        "card.io_process_garbled", "the card I/O process was asked to " + what +
                                       " (program error): take the card out and insert it "
                                       "again")});
    finish(card);
}

// The parent's signal handlers (the daemon's asio signal_set) make no sense here, and their
// descriptors are closed: the termination signals get their default action back, so a
// Ctrl-C sent to the whole process group ends this process too.
void default_termination_signals() {
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
        ::sigaction(signal_number, &action, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
}

}  // namespace

void run_card_io_child(int socket, const pcsc_card_options& options) {
    default_termination_signals();
    keep_only_stdio_and(socket);
    std::unique_ptr<pcsc_card> card;  // the card of the session being served, if any
    std::array<std::uint8_t, card_io_wire::max_message + 1> buffer{};
    for (;;) {
        const auto n = ::recv(child_socket, buffer.data(), buffer.size(), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            finish(card);  // the parent went away
        auto request = card_io_wire::parse_request(
            byte_view(buffer.data(), std::min<std::size_t>(n, card_io_wire::max_message)));
        if (!request.ok() || static_cast<std::size_t>(n) > card_io_wire::max_message) {
            send_reply(card_io_wire::failed{
                request.ok() ? make_error("card.io_process_garbled", "oversized request")
                             : request.err()});
            finish(card);
        }
        if (auto* o = std::get_if<card_io_wire::open_request>(&*request)) {
            if (card)
                refuse(card, "open a card while one is open");
            auto opened = pcsc_card::open(o->reader, options);
            if (!opened.ok()) {
                send_reply(card_io_wire::failed{opened.err()});
                continue;  // idle again: the parent decides whether to use it
            }
            card = std::move(*opened);
            send_reply(card_io_wire::opened{std::string(card->protocol_name()) == "T=0"});
            continue;
        }
        if (!card)
            refuse(card, "use a card before opening one");
        if (std::holds_alternative<card_io_wire::close_request>(*request)) {
            auto closed = card->close();
            card.reset();
            if (closed.ok())
                send_reply(card_io_wire::closed{});
            else
                send_reply(card_io_wire::failed{closed.err()});
            continue;
        }
        auto answer = card->transmit(std::get<card_io_wire::transmit_request>(*request).apdu);
        if (answer.ok() && answer->size() > card_io_wire::max_answer)
            send_reply(card_io_wire::failed{make_error(
                "card.response_too_long",
                "the card answered with more bytes than a short APDU can carry; this card or "
                "reader is not supported")});
        else if (answer.ok())
            send_reply(card_io_wire::answer{std::move(*answer)});
        else
            send_reply(card_io_wire::failed{answer.err()});
    }
}

}  // namespace ballotbox::cardio
