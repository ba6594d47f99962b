// socket_file: creates the control socket's file safely and gives it its mode and group.
//
// bind_control_socket() binds a Unix-domain stream socket at `path`: an existing stale
// socket (nobody accepts on it) is removed first; a live one is control.socket_in_use; a
// file that is not a socket is never removed (control.socket_path_taken). The file then
// gets mode 0660 and, when given, the group `group` (the daemon must be a member of it).
// A failure leaves no socket file behind that this call created.
// Thread safety: free function; no shared state.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>

#include "common/result.h"

namespace ballotbox::daemon {

// Returns the listening socket's file descriptor (owned by the caller).
result<int> bind_control_socket(const std::filesystem::path& path, std::optional<gid_t> group);

// Looks up a group name (or a numeric gid) for --socket-group.
result<gid_t> find_group(const std::string& name);

}  // namespace ballotbox::daemon
