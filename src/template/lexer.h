// Splits Jinja2 expression text into tokens, following Jinja's lexer:
// names, string literals with Python escapes, integers (0x/0o/0b, `_`),
// floats, and operators. Used for bare expressions and for the inside of
// {{ }} and {% %} tags, whose end it finds (nested brackets allowed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "source.h"

namespace fleetk8s::tmpl::detail {

struct Token {
  enum class Kind { kName, kString, kInteger, kFloat, kOperator, kEnd };

  Kind kind = Kind::kEnd;
  size_t pos = 0;          // offset of the first character in the text
  std::string_view text;   // as written; empty for kEnd
  std::string string;      // kString: the decoded value
  std::int64_t integer = 0;
  double number = 0;

  bool is_op(std::string_view op) const { return kind == Kind::kOperator && text == op; }
  bool is_name(std::string_view name) const { return kind == Kind::kName && text == name; }
};

// Where the token stream stops.
enum class Terminator {
  kEndOfText,  // a bare expression: the whole text
  kVariable,   // "}}" of a {{ ... }} tag
  kBlock,      // "%}" of a {% ... %} tag
};

struct Lexed {
  std::vector<Token> tokens;  // the last one is kEnd, at the terminator
  size_t end = 0;             // offset just past the terminator
  bool strip_after = false;   // "-}}" / "-%}": drop the whitespace that follows
  bool keep_after = false;    // "+%}": no trim_blocks for this tag
};

// Lexes text[start...] up to the terminator. The tokens' string views point
// into `text`. Errors name their place through `source`. With
// `raw_strings`, string literals keep their backslashes as written (Ansible
// doubles them in {{ }} of playbook strings, which amounts to this).
Result<Lexed> lex(std::string_view text, size_t start, Terminator terminator,
                  const Source& source, bool raw_strings = false);

// How a token reads in "expected X, got Y" messages: "'foo'", "')'",
// "'end of expression'".
std::string describe(const Token& token, Terminator terminator);

}  // namespace fleetk8s::tmpl::detail
