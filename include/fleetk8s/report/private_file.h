// Files fleetk8s writes on this machine (run folders, --report files, the
// admin kubeconfig) hold secrets or describe the fleet: nobody else may read
// them, not even for a moment. Files are created mode 0600 and directories
// 0700 by the mode given to open(2)/mkdir(2) itself (the umask can only take
// bits away), never by a chmod afterwards; a file is replaced whole through
// a temporary file in its directory and a rename, and a symbolic link
// planted at its place is refused, never followed.
#pragma once

#include <cstdio>
#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::report {

// Replaces `path` with `text`: a new file, mode 0600 (O_CREAT|O_EXCL|
// O_NOFOLLOW), in the same directory, written, fsync'ed and renamed over
// `path`. Errors (kIo) name the path and the reason; a symbolic link at
// `path` is one.
Result<void> write_private_file(const std::string& path, const std::string& text);

// Creates directory `path` and its missing parents, each mode 0700;
// existing ones are left as they are. Errors (kIo): "DIR: reason", DIR
// the one that could not be made.
Result<void> make_private_dirs(const std::string& path);

// `path` opened for appending, created mode 0600 when missing, never
// through a symbolic link. nullptr (errno set) on failure; the caller
// fclose()s it.
std::FILE* open_private_append(const std::string& path);

}  // namespace fleetk8s::report
