// The one translation unit that compiles Boost.JSON (Debian ships only its headers).
// Link ballotbox::json and include <boost/json.hpp> anywhere else.
#include <boost/json/src.hpp>
