#include "protocol/reconciliation.h"

#include <numeric>

namespace ballotbox::protocol {
namespace {

std::string n(std::int64_t v) {
    return std::to_string(v);
}

}  // namespace

std::vector<failed_check> explain_failures(const protocol_document& doc) {
    std::vector<failed_check> out;
    for (const auto& b : doc.ballots) {
        auto cast = b.cast_station + b.cast_portable;
        auto issued = b.issued_station + b.issued_portable;
        if (cast + b.cancelled + b.not_returned != issued)
            out.push_back({"issued_reconciles", b.id,
                           "cast " + n(cast) + " + cancelled " + n(b.cancelled) +
                               " + not returned " + n(b.not_returned) + " = " +
                               n(cast + b.cancelled + b.not_returned) +
                               ", but issued = " + n(issued)});
        if (doc.kind != report_kind::turnout) {
            auto votes =
                std::accumulate(b.options.begin(), b.options.end(), std::int64_t{0},
                                [](std::int64_t s, const option_votes& o) { return s + o.votes; });
            if (votes + b.against_all + b.blank != cast)
                out.push_back({"votes_reconcile", b.id,
                               "votes for options " + n(votes) + " + against all " +
                                   n(b.against_all) + " + blank " + n(b.blank) + " = " +
                                   n(votes + b.against_all + b.blank) + ", but cast = " + n(cast)});
        }
        if (b.took_part > doc.voters_on_list + doc.voters_added)
            out.push_back({"took_part_within_list", b.id,
                           "took part " + n(b.took_part) + " > on the list " +
                               n(doc.voters_on_list) + " + added " + n(doc.voters_added)});
    }
    return out;
}

std::vector<check_result> compute_checks(const protocol_document& doc) {
    auto failures = explain_failures(doc);
    auto holds = [&](std::string_view id) {
        for (const auto& f : failures)
            if (f.check_id == id)
                return false;
        return true;
    };
    std::vector<check_result> out{{"issued_reconciles", holds("issued_reconciles")}};
    if (doc.kind != report_kind::turnout)
        out.push_back({"votes_reconcile", holds("votes_reconcile")});
    out.push_back({"took_part_within_list", holds("took_part_within_list")});
    return out;
}

}  // namespace ballotbox::protocol
