// Shell snippets shared by the modules that manage files. Private to src/modules.
#pragma once

#include <string>

#include "fleetk8s/core/value.h"
#include "fleetk8s/modules/module.h"

namespace fleetk8s::modules {

// Shell code that brings the mode/owner/group of the file named by the
// shell variable `var` to what `args` asks for (mode, owner, group; absent
// keys are left alone), sets fk_changed=1 when anything differs, and changes
// nothing in check mode. Requires the file to exist.
std::string attributes_snippet(const std::string& var, const Value::Object& args, const RunMode& mode);

// Shell code for the end of every "this file should hold that content"
// module: expects "$fk_dest" (the file) and "$fk_tmp" (a temporary file in
// the same directory with the wanted content); compares them, prints a
// unified diff in diff mode, and unless in check mode backs up (when asked)
// and moves the temporary file into place, keeping an existing file's mode
// and owner (new files get 0644), then enforces mode/owner/group from args.
// Sets fk_changed=1 when anything differs.
std::string install_temp_snippet(const Value::Object& args, const RunMode& mode, bool backup);

// Shell code that sets fk_dest, fk_dir and fk_tmp for `dest`, fails clearly
// when the directory is missing or dest is a directory, and removes the
// temporary file on exit.
std::string prepare_temp_snippet(const std::string& dest);

// `snippet` run only when the shell test `condition` holds ("" when the
// snippet is empty: `{ }` is not valid sh).
std::string when_exists(const std::string& condition, const std::string& snippet);

// Validates a mode argument ("0644", "644", "u=rw,g=r,o=r"): octal is
// normalised to 4 digits; symbolic modes pass through for chmod.
Result<std::string> normalise_mode(const Value& mode);

// A name for a temporary file, unique per run (no process needed on the host).
std::string temp_suffix();

// The closing line of every file module script.
inline const char* kExitByChange = "[ \"$fk_changed\" = 1 ] && exit 100\nexit 0\n";

}  // namespace fleetk8s::modules
