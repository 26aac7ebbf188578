// Reading secrets for the command line: from the terminal without echo, or
// from a file (first line). Secrets never come from argv.
#pragma once

#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::cli {

// Prints `prompt` on /dev/tty and reads one line without echo.
Result<std::string> prompt_secret(const std::string& prompt);

// Reads the first line of `path` (without the newline).
Result<std::string> read_secret_file(const std::string& path);

}  // namespace fleetk8s::cli
