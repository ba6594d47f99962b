#include "cardio/card_transport.h"

namespace ballotbox::cardio {

error card_removed_error() {
    return make_error("card.removed", "card removed too early: insert it again");
}

}  // namespace ballotbox::cardio
