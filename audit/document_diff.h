// document_diff: the first field in which two protocol documents differ, named by its path
// (e.g. "ballots[party-list].options[amanat].votes"), with both values as text.
//
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "protocol/protocol_document.h"

namespace ballotbox::audit {

struct document_difference {
    std::string path;
    std::string expected;
    std::string found;
};

std::optional<document_difference> first_difference(const protocol::protocol_document& expected,
                                                    const protocol::protocol_document& found);

}  // namespace ballotbox::audit
