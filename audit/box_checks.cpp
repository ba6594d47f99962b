// The checks over the ballot box (see audit_context.h).
#include <map>
#include <set>

#include "audit/audit_context.h"
#include "audit/box_order.h"
#include "cardio/booth_signature.h"
#include "cardio/card_codec.h"
#include "cardio/card_mac.h"
#include "common/first_failing_index.h"

namespace ballotbox::audit::detail {
namespace {

std::string box_place(const ledger::box_key& key) {
    return "box key " + to_hex(key);
}

// One row of the box decoded as a voted card of this election and station, into `out`.
step_result decode_ballot(const context& c, const ledger::stored_ballot& row,
                          cardio::voted_card& out) {
    auto place = [&] { return box_place(row.key); };
    auto record = cardio::parse_card_record(row.content.record);
    if (!record)
        return tampered("ballot_records", place(),
                        "The ballot record is not a card record: " + record.err().message,
                        "a voted card record", record.err().code);
    auto* voted = std::get_if<cardio::voted_card>(&*record);
    if (voted == nullptr)
        return tampered("ballot_records", place(), "The ballot record is not a voted card.",
                        "voted", record->index() == 0 ? "blank" : "issued");
    const auto& issue = voted->issued.issue;
    if (issue.election_id != c.package->package_hash)
        return tampered("ballot_records", place(), "The ballot was issued for another election.",
                        to_hex(c.package->package_hash), to_hex(issue.election_id));
    if (issue.station_id != c.package->station_id)
        return tampered("ballot_records", place(),
                        "The ballot was issued at another polling station.", c.package->station_id,
                        issue.station_id);
    if (!std::equal(row.content.token.begin(), row.content.token.end(), issue.token.begin(),
                    issue.token.end()))
        return tampered("ballot_records", place(),
                        "The row's token is not the token on the ballot record.",
                        to_hex(issue.token), to_hex(row.content.token));
    if (!std::equal(row.content.booth_signature.begin(), row.content.booth_signature.end(),
                    voted->signature.begin(), voted->signature.end()))
        return tampered("ballot_records", place(),
                        "The row's booth signature is not the one on the ballot record.",
                        to_hex(voted->signature), to_hex(row.content.booth_signature));
    out = std::move(*voted);
    return std::nullopt;
}

}  // namespace

step_result check_ballot_records(context& c, std::string& detail) {
    auto rows = c.book->ballots();
    if (!rows)
        return tampered("ballot_records", "ballot box", rows.err().message);
    // Decoded on every thread, each row into its own slot; the first bad row in key order is
    // decoded again alone for its message.
    const std::size_t n = rows->size();
    std::vector<cardio::voted_card> cards(n);
    const auto bad = first_failing_index(n, std::max(1u, c.in.threads), [&](std::size_t i) {
        return !decode_ballot(c, (*rows)[i], cards[i]).has_value();
    });
    if (bad < n) {
        cardio::voted_card unused;
        return decode_ballot(c, (*rows)[bad], unused);
    }
    c.box.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        c.box.push_back({std::move((*rows)[i]), std::move(cards[i])});
    detail = std::to_string(c.box.size()) + " ballots decoded, each for election " +
             to_hex(c.package->package_hash).substr(0, 16) + "... and station " +
             c.package->station_id;
    return std::nullopt;
}

step_result check_booth_signatures(context& c, std::string& detail) {
    std::map<cardio::booth_key_id, const election::booth_terminal*> booths;
    for (const auto& b : c.package->booths)
        booths[cardio::booth_key_id_of(b.public_key)] = &b;
    // First pass (one thread): every booth key is in the package.
    std::vector<const election::booth_terminal*> signer(c.box.size());
    for (std::size_t i = 0; i < c.box.size(); ++i) {
        auto it = booths.find(c.box[i].card.booth);
        if (it == booths.end())
            return tampered("booth_signatures", box_place(c.box[i].row.key),
                            "The ballot names a booth key that is not in the package.",
                            "one of the package's " + std::to_string(booths.size()) + " booth keys",
                            to_hex(c.box[i].card.booth));
        signer[i] = it->second;
    }
    // Second pass: the signatures, split over the threads; the first bad one in box order wins.
    const unsigned threads = std::max(1u, c.in.threads);
    const std::size_t n = c.box.size();
    const auto bad = first_failing_index(n, threads, [&](std::size_t i) {
        return cardio::verify_booth_signature(c.box[i].card, signer[i]->public_key);
    });
    if (bad < n) {
        const auto& b = c.box[bad];
        return tampered("booth_signatures", box_place(b.row.key),
                        "The booth signature does not verify: the ballot was altered after the "
                        "booth signed it, or forged.",
                        "a valid signature by " + signer[bad]->id, "an invalid signature");
    }
    c.report.counts.booth_signatures_verified = n;
    detail =
        std::to_string(n) + " booth signatures verified (" + std::to_string(threads) + " threads)";
    return std::nullopt;
}

step_result check_issue_macs(context& c, std::string& detail) {
    // Prepared once, and copied once per thread. The closing step accepted the key only at
    // 32 bytes or more, so it prepares; were it not to, every MAC would fail.
    const auto key = cardio::issue_mac_key::prepare(*c.chain.mac_key);
    const auto bad = !key ? std::size_t{0}
                          : first_failing_index(
                                c.box.size(), std::max(1u, c.in.threads), [&] { return *key; },
                                [&](cardio::issue_mac_key& mine, std::size_t i) {
                                    return bool(mine.verify(c.box[i].card.issued));
                                });
    if (bad < c.box.size()) {
        const auto& b = c.box[bad];
        return tampered("issue_macs", box_place(b.row.key),
                        "The ballot's activation was not made with this appliance's MAC key: "
                        "the token was not issued here.",
                        "the MAC under the key revealed at the close", to_hex(b.card.issued.mac));
    }
    c.report.counts.issue_macs_verified = c.box.size();
    detail = std::to_string(c.box.size()) + " issue MACs verified under the revealed key";
    return std::nullopt;
}

step_result check_tokens_once(context& c, std::string& detail) {
    if (c.chain.token_problem)
        return c.chain.token_problem;
    std::set<cardio::one_time_token> seen;
    for (const auto& b : c.box) {
        const auto& token = b.card.issued.issue.token;
        if (!seen.insert(token).second)
            return tampered("tokens_used_once", box_place(b.row.key),
                            "A token is in the box twice.", "one ballot per token",
                            "a second ballot with token " + to_hex(token));
        auto cancelled = c.chain.cancelled_tokens.find(token);
        if (cancelled != c.chain.cancelled_tokens.end())
            return tampered(
                "tokens_used_once", box_place(b.row.key),
                "A ballot's token was cancelled at " + entry_place(cancelled->second) + ".",
                "a token not cancelled", "cancelled at " + entry_place(cancelled->second),
                cancelled->second);
    }
    detail = std::to_string(seen.size()) + " tokens in the box and " +
             std::to_string(c.chain.cancelled_tokens.size()) + " cancelled, each used once";
    return std::nullopt;
}

step_result check_counts(context& c, std::string& detail) {
    const auto& f = c.chain;
    std::array<std::uint64_t, 2> box_by_source{};
    for (const auto& b : c.box)
        ++box_by_source[static_cast<std::size_t>(b.row.content.source)];
    const char* names[] = {"stationary", "portable"};
    for (std::size_t s = 0; s < 2; ++s)
        if (box_by_source[s] != f.cast_by_source[s])
            return tampered(
                "counts", "ballot box",
                std::string("Cast events (") + names[s] + ") and ballots in the box differ.",
                std::to_string(f.cast_by_source[s]), std::to_string(box_by_source[s]));
    if (f.cast + f.cancelled > f.issued)
        return tampered("counts", "event chain", "More cards cast and cancelled than issued.",
                        "cast + cancelled <= issued " + std::to_string(f.issued),
                        std::to_string(f.cast) + " + " + std::to_string(f.cancelled));
    detail = "issued " + std::to_string(f.issued) + " = cast " + std::to_string(f.cast) +
             " + cancelled " + std::to_string(f.cancelled) + " + outstanding " +
             std::to_string(f.issued - f.cast - f.cancelled) + "; box " +
             std::to_string(c.box.size()) + " = cast events";
    return std::nullopt;
}

step_result check_box_order(context& c, std::string& detail) {
    std::vector<ledger::box_key> keys;
    keys.reserve(c.box.size());
    for (const auto& b : c.box)
        keys.push_back(b.row.key);
    auto finding = check_key_spread(keys);
    if (!finding.spread_ok)
        return tampered("box_order", "ballot box",
                        "The box order may follow the cast order: " + finding.what,
                        finding.expected, finding.found);
    detail = "table WITHOUT ROWID with no order column (schema checked); " + finding.what;
    return std::nullopt;
}

}  // namespace ballotbox::audit::detail
