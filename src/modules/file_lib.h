// Shell snippets shared by the modules that manage files. Private to src/modules.
#pragma once

#include <string>

#include "fleetk8s/core/value.h"
#include "fleetk8s/modules/module.h"

namespace fleetk8s::modules {

// Every module script but command/shell/raw starts with this: what it
// creates is private to root until it is given its mode.
inline const char* kScriptHead = "umask 077\n";

// Checks mode, owner and group in `args` (absent ones pass): the mode as
// normalise_mode reads it, owner and group as user/group names or ids.
Result<void> check_attribute_args(const Value::Object& args);

// Shell code that brings the mode/owner/group of the file named by the
// shell variable `var` to what `args` asks for (mode, owner, group; absent
// keys are left alone), sets fk_changed=1 when anything differs, and changes
// nothing in check mode. Requires the file to exist. REQUIRES: args passed
// check_attribute_args.
std::string attributes_snippet(const std::string& var, const Value::Object& args, const RunMode& mode);

// Shell code that gives "$fk_tmp", before it is moved to "$fk_dest", the
// owner, group and mode the file should end up with: those in `args`, else
// an existing "$fk_dest"'s, else root's and 0644 (Ansible's default). The
// owner comes first (chown clears setuid bits); nothing is ever more open
// than the final mode. REQUIRES: args passed check_attribute_args.
std::string temp_attributes_snippet(const Value::Object& args);

// Shell code for the end of every "this file should hold that content"
// module: expects "$fk_dest" (the file) and "$fk_tmp" (a temporary file in
// the same directory with the wanted content); compares them, prints a
// unified diff in diff mode, and unless in check mode gives the temporary
// file its final mode and owner (temp_attributes_snippet), backs up (when
// asked) and moves it into place, then enforces mode/owner/group from args
// on an unchanged file. Sets fk_changed=1 when anything differs.
std::string install_temp_snippet(const Value::Object& args, const RunMode& mode, bool backup);

// Shell code that sets fk_dest, fk_dir and fk_tmp for `dest`, fails clearly
// when the directory is missing or dest is a directory, creates fk_tmp with
// mktemp (mode 0600, a fresh name, never through a link; beside dest so the
// final mv is atomic, in $TMPDIR in check mode so dest's directory is not
// touched) and removes it on exit. Used again in one script, it drops the
// previous temporary file. In check mode a missing directory (an earlier
// task, such as a package install, would create it) is a change to report,
// not a failure: the script says so on stdout and exits 100.
std::string prepare_temp_snippet(const std::string& dest, const RunMode& mode);

// The trap that removes "$fk_tmp" (unless emptied after its move) on exit.
inline const char* kRemoveTempOnExit = "trap '[ -z \"${fk_tmp:-}\" ] || rm -f -- \"$fk_tmp\"' EXIT\n";

// `snippet` run only when the shell test `condition` holds ("" when the
// snippet is empty: `{ }` is not valid sh).
std::string when_exists(const std::string& condition, const std::string& snippet);

// Validates a mode argument ("0644", "644", "u=rw,g=r,o=r"): octal is
// normalised to 4 digits; symbolic modes pass through for chmod.
Result<std::string> normalise_mode(const Value& mode);

// The closing line of every file module script.
inline const char* kExitByChange = "[ \"$fk_changed\" = 1 ] && exit 100\nexit 0\n";

}  // namespace fleetk8s::modules
