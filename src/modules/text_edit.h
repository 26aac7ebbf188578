// What the modules that edit text files share (lineinfile, replace,
// blockinfile): the shell code that reads a file, lets a tool rewrite it
// and installs the result atomically, and the argument checks they (and
// stat and wait_for) make. Their regexes come from py_ere.h. Private to
// src/modules.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/modules/module.h"

namespace fleetk8s::modules {

// Shell code that opens `path` for editing: fails on a directory, follows a
// symlink to the file it names (Ansible writes through links), and sets
// fk_dest (the file), fk_dir and fk_src (the file to read: fk_dest, or
// /dev/null when it is missing). A missing file fails with
// `missing_message` (which may use $fk_path) unless `create`; then its
// directory is made (not in check mode).
std::string open_text_snippet(const std::string& path, bool create, const std::string& missing_message,
                              const RunMode& mode);

// Shell code run once "$fk_tmp" holds new content for "$fk_dest": prints the
// unified diff in diff mode, gives the temporary file its final mode and
// owner (temp_attributes_snippet: `args`, else the existing file's, else
// 0644), backs the file up when asked, and moves the temporary file into
// place. Not for check mode (nothing is written there).
std::string install_text_snippet(const Value::Object& args, const RunMode& mode, bool backup);

// Shell code that runs `rewrite` (a command that reads "$fk_src" and exits
// 100 after writing the new content to "$fk_out" when it differs, 0 when
// nothing changes; with fk_out=- it always prints the content) and
// installs the result. "$fk_out" is a fresh mktemp file next to the file
// (0600 until installed). Sets fk_changed=1 when the content changes. In
// check mode nothing is written; with diff on, the content goes to diff
// instead.
std::string rewrite_snippet(const std::string& rewrite, const Value::Object& args, const RunMode& mode, bool backup);

// Argument `key`, checked against `choices`; `fallback` when absent.
Result<std::string> arg_choice(const Value::Object& args, const std::string& key,
                               const std::vector<std::string>& choices, const std::string& fallback);

// True when `key` is present and not null.
bool has_arg(const Value::Object& args, const std::string& key);

// The arguments every text-editing module checks first: no NUL anywhere,
// `path` (required), `state` (present|absent, when `with_state`), and mode,
// owner and group (check_attribute_args).
struct TextFileArgs {
  std::string path;
  std::string state = "present";
};
Result<TextFileArgs> text_file_args(const Value::Object& args, bool with_state);

}  // namespace fleetk8s::modules
