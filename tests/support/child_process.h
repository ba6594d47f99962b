// child_process: runs a program the build made (cardsim, ballotbox) as a child process for a
// test, with one of its output streams sent to a file, and waits for its exit status.
//
// spawn_to_file fails the test (REQUIRE) if the program cannot be started. Not thread-safe
// with respect to the environment (the child inherits it as it is).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ballotbox::test_support {

// Starts `program` with `args` (argv[0] is added), its file descriptor `fd` (1 or 2) written
// to `out_path` (created or truncated). Returns the child's pid.
pid_t spawn_to_file(const std::string& program, std::vector<std::string> args, int fd,
                    const std::string& out_path);

// Waits for the child: its exit code, or 128 + the signal that ended it.
int exit_status(pid_t pid);

}  // namespace ballotbox::test_support
