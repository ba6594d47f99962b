#include "appliance/daemon/control_server.h"

#include <openssl/crypto.h>
#include <unistd.h>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/serialize.hpp>
#include <deque>
#include <string>
#include <vector>

#include "appliance/daemon/socket_file.h"

namespace ballotbox::daemon {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

boost::json::object ok_response() {
    return boost::json::object{{"ok", true}};
}

boost::json::object error_response(const error& e) {
    return boost::json::object{
        {"ok", false}, {"error", boost::json::object{{"code", e.code}, {"message", e.message}}}};
}

namespace {

std::string to_line(const boost::json::object& object) {
    std::string line = boost::json::serialize(object);
    line.push_back('\n');
    return line;
}

}  // namespace

class control_client;

class control_server::impl : public std::enable_shared_from_this<control_server::impl> {
  public:
    impl(asio::io_context& io, control_server_options options, control_handler& handler,
         event_log& log)
        : io_(io), options_(std::move(options)), handler_(handler), log_(log), acceptor_(io) {}

    void start_accept();
    void remove(control_client* client);
    void stop();

    asio::io_context& io_;
    control_server_options options_;
    control_handler& handler_;
    event_log& log_;
    local::acceptor acceptor_;
    std::vector<std::shared_ptr<control_client>> clients_;
    bool stopped_ = false;
};

class control_client : public std::enable_shared_from_this<control_client> {
  public:
    control_client(std::weak_ptr<control_server::impl> server, local::socket socket)
        : server_(std::move(server)), socket_(std::move(socket)) {}

    void start() { read_next(); }

    // Queues one line; drops the client when its unsent output passes the bound.
    void send(std::string line, std::size_t max_queued) {
        if (closed_)
            return;
        if (queued_bytes_ + line.size() > max_queued) {
            drop("the client does not read its output");
            return;
        }
        queued_bytes_ += line.size();
        out_.push_back(std::move(line));
        if (!writing_)
            write_next();
    }

    // Sends the line, then closes (used for refusals that end the connection).
    void send_and_close(std::string line) {
        close_after_write_ = true;
        send(std::move(line), std::string::npos);
    }

    void close() {
        if (closed_)
            return;
        closed_ = true;
        boost::system::error_code ignored;
        socket_.shutdown(local::socket::shutdown_both, ignored);
        socket_.close(ignored);
        wipe_buffer();
    }

    bool watching() const { return watching_; }

  private:
    void wipe_buffer() {
        OPENSSL_cleanse(buffer_.data(), buffer_.size());
        buffer_.clear();
    }

    void drop(const std::string& why) {
        if (auto server = server_.lock()) {
            server->log_.write(log_event::watch_client_dropped, log_priority::warning,
                               "control client dropped: " + why,
                               {{"queued_bytes", std::to_string(queued_bytes_)},
                                {"watching", watching_ ? "yes" : "no"}});
            close();
            server->remove(this);
        } else {
            close();
        }
    }

    void finish() {
        close();
        if (auto server = server_.lock())
            server->remove(this);
    }

    void read_next() {
        if (closed_)
            return;
        asio::async_read_until(
            socket_, asio::dynamic_buffer(buffer_, max_line_bytes + 1), '\n',
            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                self->on_read(ec, n);
            });
    }

    void on_read(boost::system::error_code ec, std::size_t n) {
        if (closed_)
            return;
        auto server = server_.lock();
        if (!server) {
            close();
            return;
        }
        if (ec == asio::error::not_found) {  // the buffer filled without a newline
            wipe_buffer();
            refuse(*server, make_error("control.line_too_long", "the request line is longer than " +
                                                                    std::to_string(max_line_bytes) +
                                                                    " bytes"));
            close_after_write_ = true;
            if (!writing_)
                finish();
            return;
        }
        if (ec) {
            finish();
            return;
        }
        std::string_view line(buffer_.data(), n - 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        handle_line(*server, line);
        if (closed_)  // dropped while answering; close() wiped the buffer
            return;
        OPENSSL_cleanse(buffer_.data(), n);
        buffer_.erase(0, n);
        read_next();
    }

    void refuse(control_server::impl& server, const error& e) {
        server.log_.write(log_event::request_refused, log_priority::notice, e.message,
                          {{"code", e.code}});
        send(to_line(error_response(e)), server.options_.max_queued_bytes);
    }

    void handle_line(control_server::impl& server, std::string_view line) {
        auto request = parse_control_request(line);
        if (!request.ok()) {
            refuse(server, request.err());
            return;
        }
        boost::json::object response;
        if (request->command == control_command::watch) {
            response = ok_response();
            response["watching"] = true;
        } else {
            response = server.handler_.handle(*request);
        }
        if (!request->id.is_null())
            response["id"] = request->id;
        send(to_line(response), server.options_.max_queued_bytes);
        if (request->command == control_command::watch && !closed_ && !watching_) {
            watching_ = true;
            send(to_line(server.handler_.watch_snapshot()), server.options_.max_queued_bytes);
        }
    }

    void write_next() {
        if (closed_ || out_.empty()) {
            writing_ = false;
            if (close_after_write_ && !closed_)
                finish();
            return;
        }
        writing_ = true;
        asio::async_write(socket_, asio::buffer(out_.front()),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              self->on_written(ec);
                          });
    }

    void on_written(boost::system::error_code ec) {
        if (closed_)
            return;
        if (ec) {
            finish();
            return;
        }
        queued_bytes_ -= out_.front().size();
        out_.pop_front();
        write_next();
    }

    std::weak_ptr<control_server::impl> server_;
    local::socket socket_;
    std::string buffer_;
    std::deque<std::string> out_;
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool watching_ = false;
    bool closed_ = false;
    bool close_after_write_ = false;
};

void control_server::impl::start_accept() {
    acceptor_.async_accept(
        [self = shared_from_this()](boost::system::error_code ec, local::socket socket) {
            if (self->stopped_)
                return;
            if (!ec) {
                auto client = std::make_shared<control_client>(self, std::move(socket));
                if (self->clients_.size() >= self->options_.max_clients) {
                    const auto e = make_error("control.too_many_clients",
                                              "the appliance already serves " +
                                                  std::to_string(self->options_.max_clients) +
                                                  " clients; close one and try again");
                    self->log_.write(log_event::client_refused, log_priority::warning, e.message);
                    client->send_and_close(to_line(error_response(e)));
                } else {
                    self->clients_.push_back(client);
                    client->start();
                }
            }
            self->start_accept();
        });
}

void control_server::impl::remove(control_client* client) {
    std::erase_if(clients_, [&](const auto& c) { return c.get() == client; });
}

void control_server::impl::stop() {
    if (stopped_)
        return;
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& client : clients_)
        client->close();
    clients_.clear();
    ::unlink(options_.socket_path.c_str());
}

result<std::unique_ptr<control_server>> control_server::listen(asio::io_context& io,
                                                               control_server_options options,
                                                               control_handler& handler,
                                                               event_log& log) {
    BALLOTBOX_ASSIGN_OR_RETURN(const int fd,
                               bind_control_socket(options.socket_path, options.group));
    auto state = std::make_shared<impl>(io, std::move(options), handler, log);
    boost::system::error_code ec;
    state->acceptor_.assign(local(), fd, ec);
    if (ec) {
        ::close(fd);
        ::unlink(state->options_.socket_path.c_str());
        return make_error("control.listen_failed",
                          "cannot use the control socket: " + ec.message());
    }
    state->start_accept();
    log.write(log_event::socket_listening, log_priority::info,
              "control socket listening on " + state->options_.socket_path.string(),
              {{"socket", state->options_.socket_path.string()}});
    return std::unique_ptr<control_server>(new control_server(std::move(state)));
}

control_server::~control_server() {
    impl_->stop();
}

void control_server::broadcast(const boost::json::object& event) {
    const std::string line = to_line(event);
    // Copy: a send may drop a client and so change the list.
    auto clients = impl_->clients_;
    for (auto& client : clients)
        if (client->watching())
            client->send(line, impl_->options_.max_queued_bytes);
}

void control_server::stop() {
    impl_->stop();
}

std::size_t control_server::client_count() const {
    return impl_->clients_.size();
}

std::size_t control_server::watcher_count() const {
    std::size_t n = 0;
    for (const auto& client : impl_->clients_)
        n += client->watching() ? 1 : 0;
    return n;
}

}  // namespace ballotbox::daemon
