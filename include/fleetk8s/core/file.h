// Reading local files with errors that name the file and the reason.
#pragma once

#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s {

// The whole file. Errors: "PATH: cannot read: No such file or directory"
// (kNotFound), a directory or an I/O error (kIo).
Result<std::string> read_file(const std::string& path);

// `path` with a leading "~" or "~/" replaced by $HOME (unchanged when $HOME
// is unset or empty, or the path does not start so).
std::string expand_home(const std::string& path);

// A file's modification time and size, to see whether it was written again
// since: "none" when there is no such file, "" for an empty path.
std::string file_stamp(const std::string& path);

}  // namespace fleetk8s
