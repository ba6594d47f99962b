// fault_plan: the misbehaviour a virtual card shows during one insertion, for tests of how
// the reading side copes. All off by default.
//
// Commands are counted from 1 per insertion (control messages from vpcd are not counted).
//   tear_after_bytes   UPDATE BINARY data bytes the card accepts during this insertion; the
//                      update that would pass the limit writes only the bytes up to it and
//                      the card vanishes without answering (0: the first update writes
//                      nothing). Lets a test tear a multi-chunk write at every byte offset.
//   tear_before_answer when the K-th byte is the last byte of an update, that update is
//                      carried out in full and the card vanishes before answering it (power
//                      lost between the write and the answer), instead of answering it and
//                      tearing the next update at its first byte. Same card content, but the
//                      writer never learns that the update took effect.
//   vanish_on_command  on that command the card disconnects without carrying it out.
//   malformed          from command malformed_from on, the answer is mangled: only its first
//                      byte, or the data without the status word (a bare status word then
//                      becomes its first byte: an empty answer would read as card removal).
//   delay              every answer waits this long first.
//
// Plain value; no state.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace ballotbox::cardsim {

enum class malformed_kind { none, single_byte, no_status_word };

struct fault_plan {
    std::optional<std::size_t> tear_after_bytes{};
    bool tear_before_answer = false;
    std::optional<std::size_t> vanish_on_command{};
    malformed_kind malformed = malformed_kind::none;
    std::size_t malformed_from = 1;
    std::chrono::milliseconds delay{0};
};

}  // namespace ballotbox::cardsim
