// voter_day: the demo's voters, one after another, through the real pcscd: a blank card
// issued at the table (reader 0, the daemon answers), marked at the booth (reader 1, the
// booth key), cast at the table; spread over the simulated day by the daemon's training
// clock (voter i goes at i/N of the time between now and 20 minutes before the close).
// Among them: a few voters who bring their card back unmarked (cancelled over the control
// socket), one forged card (an activation whose MAC was made without the appliance's key)
// and one replayed card (a copy of a card already cast). Then it waits until the closing
// time so the chair may close.
//
// Errors: the first unexpected card outcome (demo.unexpected_outcome with the daemon's
// report) or a card/daemon error; the day stops there.
// Thread safety: one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.h"
#include "crypto/ed25519.h"

namespace ballotbox::demo {

struct day_options {
    std::filesystem::path socket;
    std::uint64_t voters = 1500;
    std::uint64_t seed = 1;
    bool progress_on_tty = true;  // a redrawn bar; else a line every tenth of the voters
};

struct day_counts {
    std::uint64_t voters = 0, issued = 0, cast = 0, cancelled = 0, refused = 0,
                  already_recorded = 0;
    double seconds_per_voter = 0;  // wall-clock mean of a voter's three card moves
};

result<day_counts> run_voter_day(const day_options& options,
                                 const crypto::ed25519_private_key& booth_key);

}  // namespace ballotbox::demo
