// Python `re` semantics on top of std::regex (ECMAScript): patterns are read
// by fleetk8s/core/py_regex_syntax.h (as str patterns) and written as
// ECMAScript with Python's meaning (Python's `.`, `$`, \Z, classes as
// byte sets, leading (?imsx) flags), compiled regexes are cached, and
// search / match / findall / sub behave as Python's. Matching is
// byte-wise: a non-ASCII character is one literal, but `.` and classes see
// UTF-8 bytes. Not expressible, so refused: lookbehind, atomic and
// conditional groups, scoped flags (?i:...), possessive repeats. Not
// exact in multiline mode (ECMAScript has no lookbehind to tell): \A
// matches at every line's start, and ^ also after "\r".
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::tmpl::detail {

struct RegexFlags {
  bool ignorecase = false;
  bool multiline = false;
};

struct PyRegex {
  std::regex re;
  std::vector<std::string> group_names;  // name of group i+1, or "" when unnamed
  std::map<std::string, int> names;      // group name -> number
  size_t groups = 0;
};

// Compiles (or fetches from a process-wide cache) a Python pattern. Errors:
// Python's for a malformed pattern, std::regex's for unbalanced
// parentheses, and a refusal for what ECMAScript cannot express.
Result<std::shared_ptr<const PyRegex>> compile_py_regex(const std::string& pattern, RegexFlags flags);

// re.search / re.match: the first match, if any.
std::optional<std::smatch> py_search(const PyRegex& re, const std::string& text, bool anchored);

// The number of the group `ref` names: "1", "name". nullopt when unknown.
std::optional<size_t> group_number(const PyRegex& re, const std::string& ref);

// re.findall: whole matches, group 1's text, or lists of all groups.
Value::Array py_findall(const PyRegex& re, const std::string& text);

// re.sub(pattern, replacement, text, count): the replacement's \1, \g<1>,
// \g<name>, octal and other escapes expanded (read once, with Python's
// errors, even when nothing matches). count <= 0 replaces all.
Result<std::string> py_sub(const PyRegex& re, const std::string& replacement, const std::string& text,
                           std::int64_t count = 0);

}  // namespace fleetk8s::tmpl::detail
