// Python regular expressions for the hosts' awk and GNU sed: the modules
// that search or edit text (lineinfile, replace, blockinfile, wait_for)
// translate a pattern read by fleetk8s/core/py_regex_syntax.h into an ERE,
// and a re.sub template into a sed replacement. Every refusal says what is
// not supported.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::pyre {

// Where a translated pattern runs, which decides how Python's `.`, `^`, `$`
// and negated classes are spelled. Every dialect runs under LC_ALL=C.
enum class RegexDialect {
  // awk ERE that mawk and gawk both read (no intervals: they are expanded),
  // matched against one line that still ends in "\n", as Ansible's
  // re.search(line) sees it. Only whether it matches counts: lazy
  // quantifiers become greedy; backreferences are refused.
  kAwkLine,
  // GNU sed -E with the M flag over the whole file (or one line): Python's
  // re.MULTILINE. Submatches count: lazy quantifiers only where a single
  // character follows them.
  kSedMultiline,
  // GNU sed -E without M: Python's re.DOTALL (replace's after/before).
  kSedDotall,
};

// A translated pattern.
struct Ere {
  std::string text;
  std::vector<int> groups;           // Python group number -> ERE group number ([0] = 0)
  std::map<std::string, int> names;  // Python group name -> Python group number
};

// Translates Python regex `pattern` (as re.compile reads it). `bytes` says
// whether Python compiles it as bytes (lineinfile, blockinfile, wait_for)
// or as str (replace: non-ASCII characters in classes are refused).
// `first_group` counts ERE groups that come before this pattern in the same
// expression. Errors are kInvalidInput: Python's message and position for a
// malformed pattern, or what is not supported here and where.
Result<Ere> translate_python_regex(const std::string& pattern, RegexDialect dialect, bool bytes = true,
                                   int first_group = 0);

// Translates a Python re.sub template (\1, \g<name>, \n, ...) for the
// replacement part of a sed s command on `ere`; a newline in the result is
// spelled `newline`. Errors (kInvalidInput) are Python's messages without
// the position, or what sed cannot do (a NUL, a group past \9).
Result<std::string> translate_python_template(const std::string& tmpl, const Ere& ere,
                                              const std::string& newline = "\\n");

// A character that occurs in none of `texts`, to delimit a sed s command;
// an error when every candidate occurs (a delimiter inside a text would let
// it end the command early and add flags such as `e`, which runs commands).
Result<char> sed_delimiter(const std::vector<std::string>& texts);

}  // namespace fleetk8s::pyre
