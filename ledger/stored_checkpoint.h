// stored_checkpoint: a signed checkpoint as the ledger keeps it, and the rule tying each
// checkpoint kind to the entry it follows.
//
// A checkpoint row is (tree_size, kind, note): note is the serialized C2SP signed note of
// the checkpoint over the first tree_size entries, signed by the appliance key with the
// origin from genesis as key name. The kind is not in the signed text, so it is bound to the
// chain instead: an opening checkpoint follows an opening entry, a turnout checkpoint a
// turnout entry, the final checkpoint the closing entry, and "other" any other entry.
// Codes are stored in the file: never renumber.
//
// Pure value types, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/entry.h"

namespace ballotbox::ledger {

enum class checkpoint_kind : std::int64_t { opening = 0, turnout = 1, final = 2, other = 3 };

std::optional<checkpoint_kind> checkpoint_kind_from_code(std::int64_t code);
std::string_view checkpoint_kind_name(checkpoint_kind kind);
// The only kind a checkpoint may have when the last entry it covers has this type.
checkpoint_kind checkpoint_kind_after(event_type last_entry_type);

struct stored_checkpoint {
    std::uint64_t tree_size = 0;
    checkpoint_kind kind = checkpoint_kind::other;
    std::string note;  // serialized signed note
};

}  // namespace ballotbox::ledger
