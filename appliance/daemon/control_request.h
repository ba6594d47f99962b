// control_request: one request line of the control-socket protocol (docs/control-protocol.md),
// parsed strictly.
//
// A request is one JSON object on one line: {"command": "<name>", ...arguments, "id": ...}.
// "id" (optional; a string of at most 64 bytes or an integer) is echoed in the response.
// parse_control_request() refuses, each with its own code: a line over its bound
// (control.line_too_long: max_line_bytes for setup and import_portable, max_small_line_bytes
// for every other command), text that is not JSON (control.malformed_json: also invalid UTF-8,
// duplicate names, floating-point numbers), JSON that is not an object (control.not_an_object), no
// "command" (control.missing_command), a command that is not a string
// (control.bad_argument), an unknown command (control.unknown_command), a missing or
// mistyped argument (control.missing_argument / control.bad_argument), a member the command
// does not take (control.unknown_member).
//
// The opening secret is moved into secret_bytes and its copy in the parsed JSON is wiped;
// the caller wipes the line itself. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/secret_bytes.h"

namespace ballotbox::daemon {

inline constexpr std::size_t max_line_bytes =
    2 * 1024 * 1024;  // setup carries the package, import_portable a ledger
inline constexpr std::size_t max_small_line_bytes = 16 * 1024;
inline constexpr std::size_t max_style_id_bytes = 64;
inline constexpr std::size_t max_secret_bytes = 1024;
inline constexpr int max_print_copies = 20;
inline constexpr std::size_t max_portable_key_bytes = 1024;
inline constexpr std::size_t max_reader_name_bytes = 256;

enum class control_command {
    setup,
    open,
    status,
    close,
    cancel,
    style,
    watch,
    print,
    export_,
    portable_kit,
    register_portable,
    import_portable,
    portable_not_used
};

const char* to_string(control_command command);

struct control_request {
    control_command command = control_command::status;
    boost::json::value id;              // null when absent
    std::string package;                // setup: the signed package file text
    crypto::secret_bytes secret;        // open: the chair's opening secret (UTF-8 bytes)
    std::string style;                  // style: the ballot style id
    std::optional<std::string> reader;  // cancel: optional "reader", the table reader meant
    int copies = 1;                     // print: optional "copies", 1..max_print_copies
    std::uint64_t voters_added = 0;     // close: optional "voters_added", 0..100000
    // setup: optional "portable_kit", the kit text (holds a secret; wiped on release).
    crypto::secret_bytes portable_kit;
    std::string portable_key;  // register_portable: "key", the box's public key (PEM)
    bytes portable_ledger;     // import_portable: "ledger", the file's bytes (base64 on the wire)
};

result<control_request> parse_control_request(std::string_view line);

}  // namespace ballotbox::daemon
