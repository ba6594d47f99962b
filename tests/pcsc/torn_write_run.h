// torn_write_run: one card write through the real pcscd and vpcd, torn (the virtual card
// loses power and disconnects) at every byte offset of its write plan, and once more at every
// command boundary with the answer lost after the write took effect (cardsim's
// tear_before_answer). The write is given by the caller: the table's issue, the booth's vote
// or the table's clear, each through its real code path.
//
// For every offset the card must hold the record it had before (nothing written), be read as
// card.torn_write, or hold the new record (everything written), and never anything else;
// docs/card-format.md explains why the layout and the write order make that so. The writer
// must report success only when the card holds the new record, and card.removed otherwise.
// The next insertion reads the card through pcscd as the appliance does (appliance::read_card)
// and must return the card's bytes and the same verdict.
//
// One insertion per offset: an insertion first reads back what the previous tear left,
// writes the old record again if it is gone (the tear budget counts those bytes too), reads
// it as the writer does, then makes the write with the tear. Readers 0 and 1 each run half of
// the cases at the same time, on one pcscd the caller started.
//
// Failures are collected on the reader threads and reported on the calling thread with
// doctest's FAIL_CHECK. Not thread-safe itself: one call at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "appliance/card_io.h"
#include "cardio/card_transport.h"
#include "common/bytes.h"
#include "common/result.h"

namespace ballotbox::cardio_pcsc_test {

struct torn_write_scenario {
    std::string name;  // for failure messages: "issue", "vote", "clear"
    bytes before;      // the encoded record the card holds before the write
    bytes after;       // the encoded record the write leaves when it completes
    // The write bytes of the whole plan as the writer makes it over `before`: the tear
    // offsets run from 0 to this, and the command boundaries are where the answer is lost.
    std::vector<std::size_t> command_ends;
    // The write itself, over the card the writer has just read (`seen`).
    std::function<status(cardio::card_transport&, const appliance::card_contents& seen)> write;
};

// Runs every tear case of the scenario on readers 0 and 1 and reports each failure.
// Returns the number of insertions made (every case, plus one read-back per reader).
std::size_t run_every_tear(const torn_write_scenario& scenario);

}  // namespace ballotbox::cardio_pcsc_test
