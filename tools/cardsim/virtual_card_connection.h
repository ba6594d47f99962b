// virtual_card_connection: one virtual card "inserted" into a vpcd reader — a thread that
// connects to vpcd over TCP (see vpcd.h), answers its messages with a faulty_card, and
// "removes" the card by closing the connection.
//
// insert() starts the thread: it connects to 127.0.0.1:35963+reader, retrying every
// retry_interval while nothing listens (pcscd not started yet), and serves. When vpcd
// closes the connection (pcscd stopped or restarted) it reconnects if options.reconnect
// (a card left in a reader whose pcscd comes back), else it ends with reader_gone. A fault
// of the plan (vanish, tear) disconnects and ends it. remove() ends it from outside.
//
// The card's content stays in this object across insertions and after the end: image()
// returns it (e.g. to save it, or to insert the same card into another reader).
//
// Thread safety: every public method may be called from any thread; remove() is idempotent
// and also runs in the destructor. Nothing is written to disk here.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "tools/cardsim/card_image.h"
#include "tools/cardsim/faulty_card.h"

namespace ballotbox::cardsim {

struct connection_options {
    int reader = 0;          // 0 or 1: vpcd port 35963 + reader
    std::uint16_t port = 0;  // overrides the reader's port when non-zero
    bool reconnect = true;
    std::chrono::milliseconds retry_interval{50};
};

enum class card_end {
    removed,      // remove() was called
    vanished,     // fault: vanish_on_command
    torn,         // fault: tear_after_bytes
    reader_gone,  // vpcd closed the connection and reconnect is off
    failed,       // a socket error other than the peer closing (see last_error())
};

std::string to_string(card_end e);

class virtual_card_connection {
  public:
    virtual_card_connection(file_system_card card, connection_options options,
                            fault_plan faults = {});
    ~virtual_card_connection();
    virtual_card_connection(const virtual_card_connection&) = delete;
    virtual_card_connection& operator=(const virtual_card_connection&) = delete;

    void insert();      // starts serving; a second call does nothing
    card_end remove();  // stops serving (if still running), joins, says why it ended

    // Waits (at most `limit`) until connected to vpcd / until serving ended by itself.
    bool wait_connected(std::chrono::milliseconds limit) const;
    std::optional<card_end> wait_ended(std::chrono::milliseconds limit) const;

    bool connected() const;
    std::size_t connections() const;  // how many times it connected so far
    std::size_t commands() const;     // commands of the current (or last) insertion
    card_image image() const;
    std::string last_error() const;

  private:
    void run();
    std::optional<card_end> serve(int fd);
    bool wait_interruptible(std::chrono::milliseconds d);
    void finish(card_end why, std::string error = {});

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    faulty_card card_;
    connection_options options_;
    int wake_fd_ = -1;  // eventfd that remove() signals
    std::thread thread_;
    bool started_ = false;
    bool connected_ = false;
    std::size_t connections_ = 0;
    std::optional<card_end> end_;
    std::string error_;
    std::string serve_error_;  // serving thread only
    std::atomic<bool> stop_{false};
};

}  // namespace ballotbox::cardsim
