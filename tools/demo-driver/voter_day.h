// voter_day: the demo's voters through the real pcscd, in L lanes at once (one per table
// member: each lane a thread with its own table reader and booth reader, card_moves.h; voter
// i goes to lane i mod L): a blank card issued at the lane's table reader (the daemon
// answers), marked at its booth (the booth key), cast at its table; spread over the simulated
// day by the daemon's training clock (voter i goes at i/N of the time between now and 20
// minutes before the close). A voter's choices are drawn from a source seeded with the seed
// and the voter's number, so the same seed gives the same ballots whatever the lanes' timing.
// Among them: a few voters who bring their card back unmarked (cancelled over the control
// socket), one forged card (an activation whose MAC was made without the appliance's key)
// and one replayed card (a copy of a card already cast). Then it waits until the closing
// time so the chair may close.
//
// Errors: the first unexpected card outcome (demo.unexpected_outcome with the daemon's
// report) or a card/daemon error; the day stops there.
// The first error in any lane stops every lane after its current voter. One progress bar
// over all lanes, drawn by the calling thread.
// Thread safety: run_voter_day is called from one thread; it starts and joins the lanes.
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
    int lanes = 0;                // 0: as many as PC/SC lists (1 to max_lanes)
    bool progress_on_tty = true;  // a redrawn bar; else a line every tenth of the voters
};

struct day_counts {
    std::uint64_t voters = 0, issued = 0, cast = 0, cancelled = 0, refused = 0,
                  already_recorded = 0;
    double seconds_per_voter = 0;  // wall-clock mean of a voter's three card moves
    int lanes = 0;
    double voting_seconds = 0;  // wall time from the first voter to the last one done
};

result<day_counts> run_voter_day(const day_options& options,
                                 const crypto::ed25519_private_key& booth_key);

}  // namespace ballotbox::demo
