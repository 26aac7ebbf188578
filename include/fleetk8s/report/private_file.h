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

// A new directory `prefix` + six random characters (mkdtemp), mode 0700:
// never one another run made. -> its path; errors (kIo) name it.
Result<std::string> make_private_temp_dir(const std::string& prefix);

// Renames `from` to `to`, or to `to`-2, `to`-3, ... (up to -99) when that
// name is taken: never over an existing file or directory (renameat2's
// RENAME_NOREPLACE), so two runs finishing in the same second both keep
// theirs. -> the name used; errors (kIo) name both paths.
Result<std::string> rename_to_free_name(const std::string& from, const std::string& to);

// `path` opened for appending, created mode 0600 when missing, never
// through a symbolic link. nullptr (errno set) on failure; the caller
// fclose()s it.
std::FILE* open_private_append(const std::string& path);

}  // namespace fleetk8s::report
