#include "appliance/daemon/control_request.h"

#include <openssl/crypto.h>

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <initializer_list>

#include "common/bytes.h"
#include "common/canonical_json.h"

namespace ballotbox::daemon {

namespace {

struct command_spec {
    control_command command;
    const char* name;
    const char* argument;            // the argument it takes, or nullptr
    const char* optional = nullptr;  // a second, optional one
    bool long_line = false;          // may use max_line_bytes
};

constexpr std::array<command_spec, 13> commands = {{
    {control_command::setup, "setup", "package", "portable_kit", true},
    {control_command::open, "open", "secret"},
    {control_command::status, "status", nullptr},
    {control_command::close, "close", "voters_added"},
    {control_command::cancel, "cancel", nullptr, "reader"},
    {control_command::style, "style", "style"},
    {control_command::watch, "watch", nullptr},
    {control_command::print, "print", "copies"},
    {control_command::export_, "export", nullptr},
    {control_command::portable_kit, "portable_kit", nullptr},
    {control_command::register_portable, "register_portable", "key"},
    {control_command::import_portable, "import_portable", "ledger", nullptr, true},
    {control_command::portable_not_used, "portable_not_used", nullptr},
}};

error bad(std::string code, std::string message) {
    return make_error("control." + std::move(code), std::move(message));
}

status check_id(const boost::json::value& id) {
    if (id.is_int64() || id.is_uint64())
        return ok_status();
    if (id.is_string() && id.get_string().size() <= 64)
        return ok_status();
    return bad("bad_argument", "\"id\" must be an integer or a string of at most 64 bytes");
}

result<std::string> string_argument(const boost::json::object& request, const char* name,
                                    const char* command, std::size_t max_bytes) {
    const auto* value = request.if_contains(name);
    if (value == nullptr)
        return bad("missing_argument",
                   std::string("the ") + command + " command needs \"" + name + "\"");
    if (!value->is_string())
        return bad("bad_argument", std::string("\"") + name + "\" must be a string");
    const auto& text = value->get_string();
    if (text.size() > max_bytes)
        return bad("bad_argument", std::string("\"") + name + "\" is longer than " +
                                       std::to_string(max_bytes) + " bytes");
    if (text.empty())
        return bad("bad_argument", std::string("\"") + name + "\" is empty");
    return std::string(text.data(), text.size());
}

void wipe_string_member(boost::json::object& request, const char* name) {
    if (auto* value = request.if_contains(name); value != nullptr && value->is_string()) {
        auto& text = value->get_string();
        OPENSSL_cleanse(text.data(), text.size());
    }
}

}  // namespace

const char* to_string(control_command command) {
    for (const auto& spec : commands)
        if (spec.command == command)
            return spec.name;
    return "?";
}

result<control_request> parse_control_request(std::string_view line) {
    if (line.size() > max_line_bytes)
        return bad("line_too_long",
                   "the request line is longer than " + std::to_string(max_line_bytes) + " bytes");
    auto parsed = parse_json_strict(line, max_line_bytes);
    if (!parsed.ok())
        return bad("malformed_json", "the request is not valid JSON: " + parsed.err().message);
    if (!parsed->is_object())
        return bad("not_an_object", "a request must be one JSON object on one line");
    auto& request = parsed->get_object();

    const auto* command_value = request.if_contains("command");
    if (command_value == nullptr)
        return bad("missing_command", "the request has no \"command\"");
    if (!command_value->is_string())
        return bad("bad_argument", "\"command\" must be a string");
    const std::string_view name(command_value->get_string());
    const command_spec* spec = nullptr;
    for (const auto& candidate : commands)
        if (name == candidate.name)
            spec = &candidate;
    if (spec == nullptr) {
        wipe_string_member(request, "secret");
        return bad("unknown_command", "unknown command \"" + std::string(name.substr(0, 40)) +
                                          "\" (commands: setup, open, status, close, cancel, "
                                          "style, watch, print, export, portable_kit, "
                                          "register_portable, import_portable, "
                                          "portable_not_used)");
    }
    if (!spec->long_line && line.size() > max_small_line_bytes) {
        wipe_string_member(request, "secret");
        return bad("line_too_long", std::string("a ") + spec->name + " request is longer than " +
                                        std::to_string(max_small_line_bytes) + " bytes");
    }

    control_request out;
    out.command = spec->command;
    const char* argument = spec->argument;
    for (const auto& member : request) {
        const std::string_view key = member.key();
        if (key == "command" || key == "id" || (argument != nullptr && key == argument) ||
            (spec->optional != nullptr && key == spec->optional))
            continue;
        wipe_string_member(request, "secret");
        wipe_string_member(request, "portable_kit");
        return bad("unknown_member", std::string("the ") + spec->name +
                                         " command does not take \"" +
                                         std::string(key.substr(0, 40)) + "\"");
    }
    if (const auto* id = request.if_contains("id"); id != nullptr) {
        if (auto checked = check_id(*id); !checked.ok()) {
            wipe_string_member(request, "secret");
            return checked.err();
        }
        out.id = *id;
    }
    switch (spec->command) {
        case control_command::setup: {
            auto package = string_argument(request, "package", "setup", max_line_bytes);
            if (!package.ok()) {
                wipe_string_member(request, "portable_kit");
                return package.err();
            }
            out.package = std::move(*package);
            if (request.contains("portable_kit")) {
                auto kit = string_argument(request, "portable_kit", "setup", max_secret_bytes * 4);
                wipe_string_member(request, "portable_kit");
                if (!kit.ok())
                    return kit.err();
                out.portable_kit =
                    crypto::secret_bytes(ballotbox::as_bytes(std::string_view(*kit)));
                OPENSSL_cleanse(kit->data(), kit->size());
            }
            break;
        }
        case control_command::register_portable: {
            BALLOTBOX_ASSIGN_OR_RETURN(
                out.portable_key,
                string_argument(request, "key", "register_portable", max_portable_key_bytes));
            break;
        }
        case control_command::import_portable: {
            BALLOTBOX_ASSIGN_OR_RETURN(
                auto text, string_argument(request, "ledger", "import_portable", max_line_bytes));
            auto decoded = from_base64(text);
            if (!decoded.ok())
                return bad("bad_argument", "import_portable: \"ledger\" must be base64");
            out.portable_ledger = std::move(*decoded);
            break;
        }
        case control_command::open: {
            auto secret = string_argument(request, "secret", "open", max_secret_bytes);
            wipe_string_member(request, "secret");
            if (!secret.ok())
                return secret.err();
            out.secret = crypto::secret_bytes(ballotbox::as_bytes(std::string_view(*secret)));
            OPENSSL_cleanse(secret->data(), secret->size());
            break;
        }
        case control_command::style: {
            BALLOTBOX_ASSIGN_OR_RETURN(
                out.style, string_argument(request, "style", "style", max_style_id_bytes));
            break;
        }
        case control_command::cancel: {
            if (request.contains("reader")) {
                BALLOTBOX_ASSIGN_OR_RETURN(out.reader, string_argument(request, "reader", "cancel",
                                                                       max_reader_name_bytes));
            }
            break;
        }
        case control_command::close: {
            if (const auto* added = request.if_contains("voters_added"); added != nullptr) {
                if (!added->is_int64() || added->get_int64() < 0 || added->get_int64() > 100000)
                    return bad("bad_argument",
                               "close: \"voters_added\" must be a whole number from 0 to 100000");
                out.voters_added = static_cast<std::uint64_t>(added->get_int64());
            }
            break;
        }
        case control_command::print: {
            if (const auto* copies = request.if_contains("copies"); copies != nullptr) {
                const auto n = copies->is_int64()    ? copies->as_int64()
                               : copies->is_uint64() ? std::int64_t(-1)
                                                     : std::int64_t(0);
                if (!copies->is_int64() && !copies->is_uint64())
                    return bad("bad_argument", "print: \"copies\" must be a number");
                if (n < 1 || n > max_print_copies)
                    return bad("bad_argument", "print: \"copies\" must be from 1 to " +
                                                   std::to_string(max_print_copies));
                out.copies = int(n);
            }
            break;
        }
        default:
            break;
    }
    return out;
}

}  // namespace ballotbox::daemon
