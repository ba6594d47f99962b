// status_json: the JSON forms of the poll day's status and card reports on the control
// socket (docs/control-protocol.md, "Objects"). Never carries a token or ballot content
// (card_report has none). Times are UTC ("2023-03-19T01:00:00Z") with the station's local
// form beside them. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "appliance/card_report.h"
#include "appliance/poll_day.h"

namespace ballotbox::daemon {

std::string iso_utc(time_point t);

boost::json::object to_json(const appliance::poll_status& status);
boost::json::object to_json(const appliance::card_report& report);
boost::json::object to_json(const appliance::setup_summary& summary);

}  // namespace ballotbox::daemon
