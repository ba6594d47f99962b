#include "cardio/reader_event.h"

namespace ballotbox::cardio {

const char* to_string(reader_event_kind kind) {
    switch (kind) {
        case reader_event_kind::reader_added:
            return "reader_added";
        case reader_event_kind::reader_gone:
            return "reader_gone";
        case reader_event_kind::card_inserted:
            return "card_inserted";
        case reader_event_kind::card_removed:
            return "card_removed";
        case reader_event_kind::service_lost:
            return "service_lost";
        case reader_event_kind::service_back:
            return "service_back";
    }
    return "unknown";
}

}  // namespace ballotbox::cardio
