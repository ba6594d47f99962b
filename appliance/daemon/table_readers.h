// table_readers: which PC/SC readers are the registration table's, and whether each holds a
// card. A station may have several members at the table, each with their own part of the
// voter list and their own reader; the daemon serves each of them the same way.
//
// Choosing: with no patterns (no --table-reader), the first reader reported becomes the one
// table reader (kept until it is unplugged; then the next reported is taken). With patterns,
// every reader whose name contains one of them is a table reader, in the order they were
// reported. Each has its own card-present flag. find_for_cancel() picks the reader a cancel
// means: the one named (exact name, or a part of exactly one table reader's name), else the
// only one holding a card.
//
// Errors (find_for_cancel): daemon.no_card (no table reader holds a card, or the one named
// does not), daemon.unknown_reader (the name matches no table reader), daemon.ambiguous_reader
// (it matches several), daemon.which_reader (several hold a card and none was named).
// Plain data, no I/O; not thread-safe (the daemon's loop thread owns it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ballotbox::daemon {

struct table_reader_state {
    std::string name;
    bool card_present = false;
};

class table_readers {
  public:
    explicit table_readers(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {}

    // A reader appeared: true if it is (now) a table reader.
    bool reader_added(const std::string& name);
    // A reader left: true if it was a table reader.
    bool reader_gone(const std::string& name);
    // PC/SC went away: no reader, no card.
    void clear() { readers_.clear(); }

    // The table reader of that exact name, or nullptr.
    table_reader_state* find(const std::string& name);

    result<const table_reader_state*> find_for_cancel(
        const std::optional<std::string>& named) const;

    const std::vector<table_reader_state>& all() const { return readers_; }
    bool empty() const { return readers_.empty(); }
    bool any_card_present() const;

  private:
    bool wanted(const std::string& name) const;

    std::vector<std::string> patterns_;
    std::vector<table_reader_state> readers_;
};

}  // namespace ballotbox::daemon
