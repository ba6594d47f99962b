// ledger_reading: what the poll-day tests read back from a ledger file to check it: the
// ledger opened read-only, and the parsed bodies of every entry of one type, in seq order.
// Header-only, for suites that link the ledger library (the support library does not).
//
// Failures are test failures (doctest REQUIRE) with the ledger's own message. Each call
// opens its own read-only connection; safe from any thread.
#pragma once

#include <doctest/doctest.h>

#include <boost/json/object.hpp>
#include <filesystem>
#include <vector>

#include "ledger/canonical_json.h"
#include "ledger/ledger.h"

namespace ballotbox::test_support {

inline ledger::ledger open_ledger_read_only(const std::filesystem::path& path) {
    auto book = ledger::ledger::open_read_only(path);
    REQUIRE_MESSAGE(book.ok(), (book.ok() ? "" : book.err().message));
    return std::move(*book);
}

// The bodies of every entry of a type, in order.
inline std::vector<boost::json::object> bodies_of(const std::filesystem::path& path,
                                                  ledger::event_type type) {
    auto book = open_ledger_read_only(path);
    std::vector<boost::json::object> out;
    for (std::uint64_t seq = 0; seq < book.size(); ++seq) {
        auto e = book.read_entry(seq);
        REQUIRE(e.ok());
        if (e->type == type) {
            auto body = ledger::parse_canonical_json(e->body);
            REQUIRE(body.ok());
            out.push_back(*body);
        }
    }
    return out;
}

}  // namespace ballotbox::test_support
