// Python's `re` pattern syntax, read once for every translator: the Jinja
// filters' std::regex (template) and the hosts' awk/sed EREs (modules).
// The reader turns a pattern into tokens the way Python's sre_parse reads
// it, with its error messages; a translator only writes its dialect from
// the tokens and refuses what that dialect cannot say.
#pragma once

#include <bitset>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::pyre {

// A set of bytes; Python's classes match bytes here (UTF-8 in str patterns).
using ByteSet = std::bitset<256>;

// The bytes lo..hi.
ByteSet byte_range(int lo, int hi);

// Python's \d, \s and \w for bytes patterns (and for ASCII text).
ByteSet digit_bytes();
ByteSet space_bytes();
ByteSet word_bytes();

// Python's inline flags, as bits.
enum Flag : unsigned {
  kIgnoreCase = 1,  // i
  kMultiline = 2,   // m
  kDotAll = 4,      // s
  kVerbose = 8,     // x
  kAscii = 16,      // a
  kLocale = 32,     // L
  kUnicode = 64,    // u
};

// Largest count a repeat holds; larger written counts are cut to it.
inline constexpr std::uint64_t kMaxCount = UINT64_MAX - 1;
// A repeat's `max` when it has no upper bound.
inline constexpr std::uint64_t kUnbounded = UINT64_MAX;

enum class TokenKind {
  kLiteral,          // one character: `text`
  kSet,              // [...] or \d \D \s \S \w \W: `set`, `negated`, `non_ascii`
  kAny,              // .
  kLineStart,        // ^
  kLineEnd,          // $
  kTextStart,        // \A
  kTextEnd,          // \Z
  kWordBoundary,     // \b
  kNotWordBoundary,  // \B
  kBackref,          // \1 .. \99, (?P=name): `group`
  kGroupOpen,        // (  (?:  (?P<name>  (?=  (?!  (?<=  (?<!  (?>  (?(c)  (?i-s:  : `group_kind`
  kGroupClose,       // )
  kAlternation,      // |
  kRepeat,           // * + ? {m} {m,} {,n} {m,n}: `min`, `max`, `lazy`, `possessive`
  kGlobalFlags,      // (?imsx) at the start: `flags_on`
};

enum class GroupKind {
  kCapture,            // (...) and (?P<name>...): `group`, `name`
  kNonCapture,         // (?:...)
  kLookahead,          // (?=...)
  kNegativeLookahead,  // (?!...)
  kLookbehind,         // (?<=...)
  kNegativeLookbehind, // (?<!...)
  kAtomic,             // (?>...)
  kConditional,        // (?(group)yes|no): `group`
  kScopedFlags,        // (?i-s:...): `flags_on`, `flags_off`
};

struct Token {
  TokenKind kind;
  size_t pos = 0;  // where the token starts in the pattern (bytes; see error_at)
  size_t end = 0;  // one past its last byte

  // kLiteral: one character: a byte, or the UTF-8 bytes of a non-ASCII
  // character in a str pattern (written, or as \x, \u, \U or octal).
  std::string text;

  // kSet: the bytes listed (before negation) and whether the set is
  // negated; `non_ascii`: a str pattern listed a non-ASCII character, whose
  // UTF-8 bytes are in `set` one by one.
  ByteSet set;
  bool negated = false;
  bool non_ascii = false;
  ByteSet matches() const { return negated ? ~set : set; }

  GroupKind group_kind = GroupKind::kCapture;  // kGroupOpen
  int group = 0;                               // kGroupOpen capture/conditional, kBackref: Python's number
  std::string name;                            // kGroupOpen capture: the group's name, or ""

  std::uint64_t min = 0, max = 0;  // kRepeat; max may be kUnbounded
  bool lazy = false;               // kRepeat: *? +? ?? {m,n}?
  bool possessive = false;         // kRepeat: *+ ++ ?+ {m,n}+ (Python 3.11)

  unsigned flags_on = 0, flags_off = 0;  // kGlobalFlags, kScopedFlags: Flag bits
};

struct SyntaxOptions {
  // A bytes pattern (non-ASCII bytes stand alone; \u \U \N are bad
  // escapes) or a str pattern (a non-ASCII character is one literal;
  // \x, \u, \U and octal escapes name code points, spelled in UTF-8).
  bool bytes = true;
  // re.VERBOSE given by the caller ((?x) at the start also sets it).
  bool verbose = false;
};

// A pattern read into tokens.
struct Syntax {
  std::vector<Token> tokens;
  int groups = 0;                            // capturing groups
  std::vector<std::string> group_names;      // [i]: group i+1's name, or ""
  std::map<std::string, int> names;          // group name -> number
  unsigned flags = 0;                        // the (?flags) at the start, and verbose when given
};

// Reads `pattern` as Python's re.compile does. Errors (kInvalidInput) carry
// Python's message and position ("bad escape \q at position 1"; with a
// newline in the pattern also "(line 2, column 1)"). Comments, and in
// verbose mode blanks, leave no token. Not checked here: that parentheses
// balance (a translator that builds a tree reports Python's "unbalanced
// parenthesis" / "missing ), unterminated subpattern" with error_at; one
// that hands the pattern on may let its engine report it), and how large
// repeat counts may be (each dialect has its own limit). Refused because a
// token cannot carry them: \N{...} and, in str patterns, ranges that reach
// past ASCII ([a-é]).
Result<Syntax> read_python_regex(std::string_view pattern, const SyntaxOptions& options = {});

// One piece of a re.sub replacement template: text, or a group's match.
struct TemplatePiece {
  std::string text;  // when group < 0
  int group = -1;    // a group's number (0: the whole match)
};

// Reads a re.sub replacement template (\1, \g<1>, \g<name>, \n, octal
// escapes, ...) as Python's parse_template does, for a pattern with
// `groups` groups named as in `names`. Adjacent text comes as one piece.
// Errors (kInvalidInput) are Python's messages without the position
// ("invalid group reference 3", "bad escape \q"); a \g<number> too long
// for any group is an "unknown group name".
Result<std::vector<TemplatePiece>> read_python_template(std::string_view tmpl, int groups,
                                                         const std::map<std::string, int>& names);

// Python's message for a problem at byte `pos` in `pattern`:
// "<what> at position <pos>", plus the line and column when the pattern
// has several lines; in a str pattern (!bytes) they count characters, as
// Python does. For translators' own refusals.
std::string error_at(std::string_view pattern, const std::string& what, size_t pos, bool bytes = true);

}  // namespace fleetk8s::pyre
