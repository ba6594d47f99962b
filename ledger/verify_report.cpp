// verify_report::summary (verify.h): the one paragraph an auditor reads.
#include "ledger/verify.h"

namespace ballotbox::ledger {

std::string verify_report::summary() const {
    std::string out;
    switch (outcome) {
        case verify_outcome::complete:
            out = "COMPLETE: the ledger verifies and is closed with a final checkpoint.";
            break;
        case verify_outcome::incomplete:
            out =
                "INCOMPLETE: everything present verifies, but the ledger has no closing "
                "entry and final checkpoint.";
            break;
        case verify_outcome::failed:
            out = "FAILED";
            if (!table.empty())
                out += " in " + table;
            if (seq)
                out += " at entry " + std::to_string(*seq);
            if (checkpoint_size)
                out += " at checkpoint tree size " + std::to_string(*checkpoint_size);
            if (problem)
                out += ": " + problem->message + " [" + problem->code + "]";
            if (!expected.empty() || !found.empty())
                out += " (expected " + expected + ", found " + found + ")";
            out += ".";
            break;
    }
    out += " Entries " + std::to_string(entries) + ", checkpoints " + std::to_string(checkpoints) +
           ", cast events " + std::to_string(casts) + ", ballots in box " +
           std::to_string(ballots) + ".";
    return out;
}

}  // namespace ballotbox::ledger
