// A Python regex read by py_regex_syntax.h, nested into a tree: what the
// ERE translator (py_ere.cpp) and the controller's matcher (py_match.cpp)
// both start from. Refused here, with the position Python would give, is
// what neither can run: lookarounds, atomic and conditional groups, inline
// flags, possessive repeats, counts above 9999, and non-ASCII characters
// in a class of a str pattern. Private to src/core.
#pragma once

#include <string>
#include <vector>

#include "fleetk8s/core/py_regex_syntax.h"

namespace fleetk8s::pyre::detail {

// A refusal; thrown inside src/core's regex code only and returned as an
// Error by its public functions.
struct RegexError {
  std::string message;
};

[[noreturn]] void fail(const std::string& message);

struct Node {
  enum Kind { kEmpty, kChar, kSet, kAny, kBol, kEol, kStart, kEnd, kWordB, kNotWordB, kBackref, kGroup, kConcat, kAlt, kRepeat };
  Kind kind = kEmpty;
  std::string text;  // kChar: one character (several bytes for a non-ASCII str character)
  ByteSet set;       // kSet
  int group = 0;     // kGroup: Python number (0: non-capturing); kBackref: the group
  int min = 0;       // kRepeat
  int max = -1;      // kRepeat; -1: unbounded
  bool lazy = false;
  std::vector<Node> kids;
};

Node leaf(Node::Kind kind);

// The tree of `tokens` (read from `pattern`; `bytes`: positions count
// bytes, else characters). Throws RegexError.
Node build_tree(const std::string& pattern, const std::vector<Token>& tokens, bool bytes);

}  // namespace fleetk8s::pyre::detail
