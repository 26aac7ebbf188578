// Ansible's key=value argument strings (ansible/parsing/splitter.py), as
// in `copy: src=a dest="b c"` or `shell: echo hi creates=/tmp/x`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::playbook {

// Splits on spaces, keeping quoted strings and Jinja blocks ({{ }}, {% %},
// {# #}) whole and newlines as written; quotes are kept. Errors on an
// unbalanced quote or block: "failed at splitting arguments, either an
// unbalanced jinja2 block or quotes: ARGS".
Result<std::vector<std::string>> split_args(std::string_view args);

// The inverse of split_args: joins with spaces, but not after a newline.
std::string join_args(const std::vector<std::string>& parts);

// key=value pairs to an object of strings. Python escapes (\n, \t, \x41,
// \u00e9, ...) are decoded and one level of matching quotes removed from
// each value. Words that are not key=value are joined into "_raw_params".
// With `check_raw` (command, shell, raw) only the command modules' own
// options (creates, removes, chdir, executable, warn, stdin,
// stdin_add_newline, strip_empty_ends) are split off; every other word,
// key=value or not, stays in "_raw_params" as written.
Result<Value::Object> parse_kv(std::string_view args, bool check_raw = false);

}  // namespace fleetk8s::playbook
