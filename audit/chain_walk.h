// chain_walk: the audit's walk over the event chain, fed by ledger::verify as it checks the
// chain (verify_options::begin_walk and walk_entry), so the file is read and hashed once, on
// every thread verify uses.
//
// Each range of the chain is walked on its own thread: it counts its entries and the card
// events (issue, cast, rejected card), checks each cast body and that no card
// is handled after a closing entry in the range, and holds the few other events (genesis,
// cancel, turnout, closing, the portable-box events) with the card counts at their place,
// their bodies already parsed (parse_event, audit_context.h). finish() joins the ranges in
// seq order: it adds the counts of the ranges before each held event and runs it through
// apply_event with the chain's counts at its place, so the facts and the first problem are
// exactly those of one walk in seq order.
//
// Thread safety: begin() before the ranges run (verify calls it on its own thread);
// entry() for distinct ranges at once, each range from one thread; finish() after verify has
// returned. A later begin() (verify checking again in one pass) forgets everything before.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_context.h"

namespace ballotbox::audit::detail {

class chain_walk {
  public:
    void begin(std::size_t ranges);
    void entry(std::size_t range, const ledger::verified_entry& e);
    // The facts of the whole chain; the walk is empty afterwards.
    chain_facts finish();

  private:
    struct card_counts {
        std::uint64_t issued = 0, cast = 0, rejected = 0;
        std::array<std::uint64_t, 2> cast_by_source{};
        card_counts& operator+=(const card_counts& o);
    };
    struct held_event {
        std::uint64_t seq = 0;
        ledger::event_type type = ledger::event_type::genesis;
        std::string body;    // empty for a cancel whose token is read
        card_counts before;  // the range's card events before it
        // A cancel's token, read on the range's thread (cancels are most of the held events,
        // and their parse would otherwise all fall on the joining thread).
        std::optional<cardio::one_time_token> cancelled_token;
        // Any other event's body, parsed on the range's thread too (parse_event).
        parsed_event parsed;
    };
    struct card_event {
        std::uint64_t seq = 0;
        ledger::event_type type = ledger::event_type::issue;
    };
    // Aligned to a cache line: the ranges sit side by side in ranges_ while their threads walk
    // them, each writing its own counts at every entry.
    struct alignas(64) range_walk {
        std::uint64_t entries = 0;
        card_counts counts;
        std::vector<held_event> held;
        std::optional<problem> stopped;            // the range's first problem; it stops there
        std::optional<card_event> first_card;      // the first issue or cast
        std::optional<std::uint64_t> closing_seq;  // a closing entry in this range
    };
    std::vector<range_walk> ranges_;
};

}  // namespace ballotbox::audit::detail
