// Python's re.match(pattern, text) as a yes/no answer, on the controller,
// in time linear in the text and the pattern: a Thompson automaton run as
// a set of states, not a backtracking search. For patterns that a user
// hands fleetk8s (the `~REGEX` terms of host patterns and --limit), where
// Python's or std::regex's backtracking can take exponential time
// ("(w*)*(w*)*...x") and glibc's regcomp exponential memory and time.
//
// The pattern is read as Python reads a str pattern (py_regex_syntax.h, its
// error messages). Matching is byte-wise: a non-ASCII character in the
// pattern is its UTF-8 bytes in a row, but `.` and classes take one byte.
// Refused, with the reason: backreferences, lookarounds, atomic and
// conditional groups, inline flags, possessive repeats (py_regex_tree.h),
// and patterns that expand past 50,000 automaton steps (counted repeats
// multiply).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "fleetk8s/core/result.h"

namespace fleetk8s::pyre {

class PrefixMatcher {
 public:
  // kInvalidInput with Python's message, or why the pattern is refused.
  static Result<PrefixMatcher> compile(const std::string& pattern);

  // Whether `pattern` matches at the start of `text` (re.match).
  bool matches(std::string_view text) const;

  struct Program;

 private:
  std::shared_ptr<const Program> program_;
};

}  // namespace fleetk8s::pyre
