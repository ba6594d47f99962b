#include "audit/chain_walk.h"

#include "ledger/bodies.h"

namespace ballotbox::audit::detail {

chain_walk::card_counts& chain_walk::card_counts::operator+=(const card_counts& o) {
    issued += o.issued;
    cast += o.cast;
    rejected += o.rejected;
    for (std::size_t s = 0; s < cast_by_source.size(); ++s)
        cast_by_source[s] += o.cast_by_source[s];
    return *this;
}

void chain_walk::begin(std::size_t ranges) {
    ranges_.clear();
    ranges_.resize(ranges);
}

void chain_walk::entry(std::size_t range, const ledger::verified_entry& e) {
    if (range >= ranges_.size())
        return;  // verify numbers ranges below what begin() announced
    auto& r = ranges_[range];
    if (r.stopped)
        return;
    using ledger::event_type;
    ++r.entries;
    switch (e.type) {
        case event_type::issue:
        case event_type::cast: {
            if (r.closing_seq) {
                r.stopped = card_after_closing(*r.closing_seq, e.seq, e.type);
                return;
            }
            if (!r.first_card)
                r.first_card = card_event{e.seq, e.type};
            if (e.type == event_type::issue) {
                ++r.counts.issued;
                return;
            }
            // verify has read the body already (verified_entry::cast, set for every cast).
            const auto& body = *e.cast;
            ++r.counts.cast;
            ++r.counts.cast_by_source[static_cast<std::size_t>(body.source)];
            return;
        }
        case event_type::rejected_card:
            ++r.counts.rejected;
            return;
        case event_type::cancel: {
            // Without a token the body is kept, and walk_event names the problem in its place.
            auto token = cancel_token(e.body);
            r.held.push_back(
                {e.seq, e.type, token ? std::string() : std::string(e.body), r.counts, token, {}});
            return;
        }
        case event_type::closing:
            r.closing_seq = e.seq;
            [[fallthrough]];
        case event_type::genesis:
        case event_type::turnout:
        case event_type::portable_registered:
        case event_type::portable_import:
            r.held.push_back({e.seq, e.type, std::string(e.body), r.counts, std::nullopt,
                              parse_event(e.seq, e.type, e.body)});
            return;
        default:
            return;
    }
}

chain_facts chain_walk::finish() {
    chain_facts f;
    for (const auto& r : ranges_)
        f.entries += r.entries;
    card_counts carried;   // every range before this one
    card_counts in_facts;  // what f's counts hold of the card events so far
    auto count_up_to = [&](card_counts at) {
        f.issued += at.issued - in_facts.issued;
        f.cast += at.cast - in_facts.cast;
        f.rejected += at.rejected - in_facts.rejected;
        for (std::size_t s = 0; s < at.cast_by_source.size(); ++s)
            f.cast_by_source[s] += at.cast_by_source[s] - in_facts.cast_by_source[s];
        in_facts = at;
    };
    for (auto& r : ranges_) {
        // Where this range stops: its own first problem, or, after a closing entry in an
        // earlier range, its first card event, whichever comes first.
        auto stop = std::move(r.stopped);
        if (f.closing_seq && r.first_card && (!stop || r.first_card->seq < *stop->where.seq))
            stop = card_after_closing(*f.closing_seq, r.first_card->seq, r.first_card->type);
        for (const auto& e : r.held) {
            if (stop && *stop->where.seq < e.seq)
                break;
            auto at = carried;
            at += e.before;
            count_up_to(at);
            if (e.cancelled_token)
                walk_cancel(f, e.seq, *e.cancelled_token);
            else
                apply_event(f, e.seq, e.type, e.body, e.parsed);
            if (f.walk_problem)
                break;
        }
        if (!f.walk_problem && stop)
            f.walk_problem = std::move(stop);
        if (f.walk_problem)
            break;
        carried += r.counts;
        count_up_to(carried);
    }
    ranges_.clear();
    return f;
}

}  // namespace ballotbox::audit::detail
