#include "fleetk8s/core/py_regex_syntax.h"
#include "fleetk8s/core/text.h"

#include <algorithm>
#include <optional>

namespace fleetk8s::pyre {

ByteSet byte_range(int lo, int hi) {
  ByteSet s;
  for (int c = lo; c <= hi; ++c) s.set(c);
  return s;
}

namespace {

bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The control character for Python's \a \b \f \n \r \t \v (0 when `c` is
// none of them). `in_class`: \b is a backspace only inside [...].
char control_escape(char c, bool in_class) {
  switch (c) {
    case 'a': return '\a';
    case 'b': return in_class ? '\b' : 0;
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return 0;
  }
}

// \d \s \w and their negations as (listed set, negated); nullopt for any other letter.
std::optional<std::pair<ByteSet, bool>> category(char c) {
  switch (c) {
    case 'd': return std::pair{digit_bytes(), false};
    case 'D': return std::pair{digit_bytes(), true};
    case 's': return std::pair{space_bytes(), false};
    case 'S': return std::pair{space_bytes(), true};
    case 'w': return std::pair{word_bytes(), false};
    case 'W': return std::pair{word_bytes(), true};
    default: return std::nullopt;
  }
}

// Python's str.isalpha() for the character starting with `c`: ASCII
// letters; in a str pattern any non-ASCII character is taken for a letter,
// in a bytes pattern (read as Latin-1) the letters of Latin-1.
bool py_isalpha(char c, bool bytes) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x80) return is_ascii_letter(c);
  if (!bytes) return true;
  return (u >= 0xC0 && u != 0xD7 && u != 0xF7) || u == 0xAA || u == 0xB5 || u == 0xBA;
}

unsigned flag_bit(char c) {
  switch (c) {
    case 'i': return kIgnoreCase;
    case 'm': return kMultiline;
    case 's': return kDotAll;
    case 'x': return kVerbose;
    case 'a': return kAscii;
    case 'L': return kLocale;
    case 'u': return kUnicode;
    default: return 0;
  }
}
constexpr unsigned kTypeFlags = kAscii | kLocale | kUnicode;

std::string utf8(std::uint32_t cp) {
  std::string out;
  append_utf8(out, cp);
  return out;
}

// Python's repr() of a name in an error message: 'name', with backslashes
// and control characters escaped.
std::string repr(const std::string& name) {
  const char quote = name.find('\'') != std::string::npos && name.find('"') == std::string::npos ? '"' : '\'';
  static const char kHex[] = "0123456789abcdef";
  std::string out(1, quote);
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == quote) out += std::string("\\") + c;
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (u < 0x20 || u == 0x7f) out += std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
    else out += c;
  }
  return out + quote;
}

// Whether `name` may name a group: an identifier (non-ASCII letters taken on trust).
bool valid_name(const std::string& name) {
  bool ok = !name.empty() && !is_digit(name[0]);
  for (char c : name) ok = ok && (is_ascii_letter(c) || is_digit(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80);
  return ok;
}

// A problem in the pattern; thrown inside this file only.
struct SyntaxError {
  size_t pos;
  std::string what;
};

// One member of a [...] set as Python's _class_escape reads it: a code
// point (a byte in bytes patterns) or a category.
struct Member {
  std::uint32_t code = 0;
  std::optional<std::pair<ByteSet, bool>> category;
};

// Reads a pattern the way Python's sre_parse does, with its error messages.
class Reader {
 public:
  Reader(std::string_view pattern, const SyntaxOptions& options)
      : p_(pattern), bytes_(options.bytes), verbose_(options.verbose), lone_backslash_(lone_backslash(pattern)) {
    out_.flags = options.verbose ? unsigned{kVerbose} : 0u;
  }

  Syntax read() {
    while (more()) {
      const size_t at = i_;
      const char c = p_[i_];
      if (verbose_ && (c == ' ' || (c >= '\t' && c <= '\r'))) {
        ++i_;
        continue;
      }
      if (verbose_ && c == '#') {
        while (more() && p_[i_] != '\n') ++i_;
        continue;
      }
      switch (c) {
        case '|': ++i_; push(TokenKind::kAlternation, at); break;
        case ')':
          ++i_;
          if (!open_.empty()) open_.pop_back();
          push(TokenKind::kGroupClose, at);
          break;
        case '(': ++i_; group(at); break;
        case '[': ++i_; char_class(at); break;
        case '\\': ++i_; escape(at); break;
        case '.': ++i_; push(TokenKind::kAny, at); break;
        case '^': ++i_; push(TokenKind::kLineStart, at); break;
        case '$': ++i_; push(TokenKind::kLineEnd, at); break;
        case '*': case '+': case '?': case '{': repeat(at); break;
        default: literal(at, character()); break;
      }
    }
    return std::move(out_);
  }

 private:
  // Python's tokenizer looks one unit (a character, or a backslash and the
  // character after it) ahead and stops at a lone final backslash as soon
  // as it is the next unit: any later problem is reported as that.
  [[noreturn]] void fail(const std::string& what, size_t at) {
    if (lone_backslash_ != std::string_view::npos && i_ >= lone_backslash_) {
      throw SyntaxError{lone_backslash_, "bad escape (end of pattern)"};
    }
    throw SyntaxError{at, what};
  }
  // Where the pattern ends in a backslash that escapes nothing, or npos.
  static size_t lone_backslash(std::string_view p) {
    size_t i = 0;
    while (i < p.size()) i += p[i] == '\\' ? 2 : 1;
    return i > p.size() ? p.size() - 1 : std::string_view::npos;
  }
  // One unit of Python's tokenizer as text: a character, or a backslash
  // and the character after it.
  std::string unit() {
    if (p_[i_] != '\\' || i_ + 1 >= p_.size()) return character();
    ++i_;
    return "\\" + character();
  }
  bool more() const { return i_ < p_.size(); }
  bool eat(char c) {
    if (!more() || p_[i_] != c) return false;
    ++i_;
    return true;
  }

  Token& push(TokenKind kind, size_t at) {
    Token t;
    t.kind = kind;
    t.pos = at;
    t.end = i_;
    out_.tokens.push_back(std::move(t));
    return out_.tokens.back();
  }
  void literal(size_t at, std::string text) { push(TokenKind::kLiteral, at).text = std::move(text); }
  // A code point as a literal: a byte in bytes patterns, UTF-8 in str ones.
  void code_literal(size_t at, std::uint32_t code) {
    literal(at, bytes_ ? std::string(1, static_cast<char>(code)) : utf8(code));
  }

  // One character of the pattern: a byte, or a whole UTF-8 sequence in str mode.
  std::string character() {
    const size_t start = i_++;
    if (!bytes_ && static_cast<unsigned char>(p_[start]) >= 0xC0) {
      while (more() && (static_cast<unsigned char>(p_[i_]) & 0xC0) == 0x80) ++i_;
    }
    return std::string(p_.substr(start, i_ - start));
  }

  // The code point of a character() (the lead byte when it is no valid UTF-8).
  static std::uint32_t code_point(const std::string& ch) {
    const auto lead = static_cast<unsigned char>(ch[0]);
    if (ch.size() == 1) return lead;
    const int bits = ch.size() == 2 ? 5 : ch.size() == 3 ? 4 : 3;
    std::uint32_t cp = lead & ((1u << bits) - 1);
    for (size_t k = 1; k < ch.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(ch[k]) & 0x3F);
    return ch.size() <= 4 ? cp : lead;
  }

  // --- repeats ---------------------------------------------------------------

  // Reads the digits of a count, cut to kMaxCount.
  std::uint64_t count(const std::string& digits) {
    std::uint64_t n = 0;
    for (char d : digits) n = n > (kMaxCount - 9) / 10 ? kMaxCount : n * 10 + static_cast<std::uint64_t>(d - '0');
    return n;
  }

  void repeat(size_t at) {
    const char c = p_[i_++];
    std::uint64_t min = 0, max = kUnbounded;
    if (c == '+') min = 1;
    if (c == '?') max = 1;
    if (c == '{') {
      if (more() && p_[i_] == '}') return literal(at, "{");
      std::string lo, hi;
      while (more() && is_digit(p_[i_])) lo += p_[i_++];
      if (eat(',')) {
        while (more() && is_digit(p_[i_])) hi += p_[i_++];
      } else {
        hi = lo;
      }
      if (!eat('}')) {
        i_ = at + 1;
        return literal(at, "{");
      }
      if (!lo.empty()) min = count(lo);
      if (!hi.empty()) max = count(hi);
      if (max < min) fail("min repeat greater than max repeat", at + 1);
    }
    const Token* prev = last_item();
    if (prev == nullptr) fail("nothing to repeat", at);
    if (prev->kind == TokenKind::kRepeat) fail("multiple repeat", at);
    const bool lazy = eat('?');
    const bool possessive = !lazy && eat('+');
    Token& t = push(TokenKind::kRepeat, at);
    t.min = min;
    t.max = max;
    t.lazy = lazy;
    t.possessive = possessive;
  }

  // The token a repeat would apply to; nullptr when there is none (Python's
  // "nothing to repeat": the start, after "(" or "|", or an anchor).
  const Token* last_item() const {
    if (out_.tokens.empty()) return nullptr;
    const Token& t = out_.tokens.back();
    switch (t.kind) {
      case TokenKind::kGroupOpen:
      case TokenKind::kAlternation:
      case TokenKind::kGlobalFlags:
      case TokenKind::kLineStart:
      case TokenKind::kLineEnd:
      case TokenKind::kTextStart:
      case TokenKind::kTextEnd:
      case TokenKind::kWordBoundary:
      case TokenKind::kNotWordBoundary: return nullptr;
      default: return &t;
    }
  }

  // --- escapes ---------------------------------------------------------------

  // \x, \u, \U: `digits` hex digits after the letter at p_[i_ - 1].
  std::uint32_t hex_escape(int digits, size_t at) {
    std::uint32_t v = 0;
    int n = 0;
    while (n < digits && more() && hex_value(p_[i_]) >= 0) v = v * 16 + static_cast<std::uint32_t>(hex_value(p_[i_++])), ++n;
    const std::string text(p_.substr(at, i_ - at));
    if (n != digits) fail("incomplete escape " + text, at);
    if (v > 0x10FFFF) fail("bad escape " + text, at);
    return v;
  }

  // Escapes that name one code point the same way inside and outside [...]:
  // \x \u \U \N and the control letters; nullopt for any other letter.
  std::optional<std::uint32_t> code_escape(char e, bool in_class, size_t at) {
    if (char ctl = control_escape(e, in_class)) return static_cast<unsigned char>(ctl);
    if (e == 'x') return hex_escape(2, at);
    if (!bytes_ && e == 'u') return hex_escape(4, at);
    if (!bytes_ && e == 'U') return hex_escape(8, at);
    if (!bytes_ && e == 'N') fail("named Unicode escapes \\N{...} are not supported", at);
    return std::nullopt;
  }

  std::uint32_t octal(std::uint32_t value, int more_digits, size_t at) {
    for (int k = 0; k < more_digits && more() && is_octal(p_[i_]); ++k) value = value * 8 + static_cast<std::uint32_t>(p_[i_++] - '0');
    if (value > 0377) fail("octal escape value " + std::string(p_.substr(at, i_ - at)) + " outside of range 0-0o377", at);
    return value;
  }

  void escape(size_t at) {
    if (!more()) fail("bad escape (end of pattern)", at);
    const char e = p_[i_++];
    if (auto cat = category(e)) {
      Token& t = push(TokenKind::kSet, at);
      t.set = cat->first;
      t.negated = cat->second;
      return;
    }
    switch (e) {
      case 'b': push(TokenKind::kWordBoundary, at); return;
      case 'B': push(TokenKind::kNotWordBoundary, at); return;
      case 'A': push(TokenKind::kTextStart, at); return;
      case 'Z': push(TokenKind::kTextEnd, at); return;
      case '0': return code_literal(at, octal(0, 2, at));
      default: break;
    }
    if (auto code = code_escape(e, false, at)) return code_literal(at, *code);
    if (is_digit(e)) {
      // An octal escape (three octal digits) or a group reference (one or two digits).
      int number = e - '0';
      if (more() && is_digit(p_[i_])) {
        if (is_octal(e) && is_octal(p_[i_]) && i_ + 1 < p_.size() && is_octal(p_[i_ + 1])) {
          return code_literal(at, octal(static_cast<std::uint32_t>(e - '0'), 2, at));
        }
        number = number * 10 + (p_[i_++] - '0');
      }
      if (number > out_.groups) fail("invalid group reference " + std::to_string(number), at + 1);
      if (is_open(number)) fail("cannot refer to an open group", at);
      push(TokenKind::kBackref, at).group = number;
      return;
    }
    if (is_ascii_letter(e)) fail(std::string("bad escape \\") + e, at);
    --i_;
    literal(at, character());
  }

  // --- classes ---------------------------------------------------------------

  Member class_member(size_t set_at) {
    Member m;
    const size_t at = i_;
    if (p_[i_] != '\\') {
      m.code = code_point(character());
      return m;
    }
    ++i_;
    if (!more()) fail("unterminated character set", set_at);
    const char e = p_[i_++];
    if ((m.category = category(e))) return m;
    if (auto code = code_escape(e, true, at)) {
      m.code = *code;
    } else if (is_octal(e)) {
      m.code = octal(static_cast<std::uint32_t>(e - '0'), 2, at);
    } else if (is_digit(e) || is_ascii_letter(e)) {
      fail(std::string("bad escape \\") + e, at);
    } else {
      --i_;
      m.code = code_point(character());
    }
    return m;
  }

  void add(Token& t, std::uint32_t code) {
    if (bytes_ || code < 0x80) {
      t.set.set(code & 0xFF);
      return;
    }
    t.non_ascii = true;
    for (char b : utf8(code)) t.set.set(static_cast<unsigned char>(b));
  }

  void char_class(size_t at) {
    Token t;
    t.kind = TokenKind::kSet;
    t.pos = at;
    t.negated = eat('^');
    const size_t first = i_;
    size_t wide_range = std::string_view::npos;  // refused once the set is read, as Python would read it
    for (;;) {
      if (!more()) fail("unterminated character set", at);
      if (p_[i_] == ']' && i_ != first) {
        ++i_;
        break;
      }
      const size_t this_at = i_;
      const Member lo = class_member(at);
      const size_t this_end = i_;
      if (!eat('-')) {
        if (lo.category) t.set |= lo.category->second ? ~lo.category->first : lo.category->first;
        else add(t, lo.code);
        continue;
      }
      if (!more()) fail("unterminated character set", at);
      if (p_[i_] == ']') {
        ++i_;
        if (lo.category) t.set |= lo.category->second ? ~lo.category->first : lo.category->first;
        else add(t, lo.code);
        t.set.set('-');
        break;
      }
      const size_t that_at = i_;
      const Member hi = class_member(at);
      const std::string range = std::string(p_.substr(this_at, this_end - this_at)) + "-" +
                                std::string(p_.substr(that_at, i_ - that_at));
      if (lo.category || hi.category || hi.code < lo.code) fail("bad character range " + range, this_at);
      if (!bytes_ && hi.code >= 0x80) {
        if (wide_range == std::string_view::npos) wide_range = this_at;
        continue;
      }
      t.set |= byte_range(static_cast<int>(lo.code), static_cast<int>(hi.code));
    }
    if (wide_range != std::string_view::npos) fail("ranges of non-ASCII characters in a set are not supported", wide_range);
    t.end = i_;
    out_.tokens.push_back(std::move(t));
  }

  // --- groups ----------------------------------------------------------------

  bool is_open(int group) const {
    for (int g : open_)
      if (g == group) return true;
    return false;
  }

  // Python's getuntil: a group name up to `end`.
  std::string group_name(char end) {
    const size_t start = i_;
    while (more() && p_[i_] != end) i_ += p_[i_] == '\\' ? 2 : 1;  // Python reads "\\)" as one unit
    i_ = std::min(i_, p_.size());
    std::string name(p_.substr(start, i_ - start));
    if (!more()) {
      if (name.empty()) fail("missing group name", i_);
      fail(std::string("missing ") + end + ", unterminated name", start);
    }
    if (name.empty()) fail("missing group name", i_);
    ++i_;
    return name;
  }

  void open_group(size_t at, GroupKind kind, int number = 0) {
    Token& t = push(TokenKind::kGroupOpen, at);
    t.group_kind = kind;
    t.group = number;
    open_.push_back(kind == GroupKind::kCapture ? number : 0);
  }

  void group(size_t at) {
    if (!eat('?')) {
      open_group(at, GroupKind::kCapture, ++out_.groups);
      out_.group_names.emplace_back();
      return;
    }
    if (!more()) fail("unexpected end of pattern", i_);
    const char c = p_[i_++];
    switch (c) {
      case ':': return open_group(at, GroupKind::kNonCapture);
      case '=': return open_group(at, GroupKind::kLookahead);
      case '!': return open_group(at, GroupKind::kNegativeLookahead);
      case '>': return open_group(at, GroupKind::kAtomic);
      case 'P': return p_group(at);
      case '(': return conditional(at);
      case '#':
        while (more() && p_[i_] != ')') ++i_;
        if (!eat(')')) fail("missing ), unterminated comment", at);
        return;
      case '<': {
        if (!more()) fail("unexpected end of pattern", i_);
        const char d = p_[i_++];
        if (d == '=') return open_group(at, GroupKind::kLookbehind);
        if (d == '!') return open_group(at, GroupKind::kNegativeLookbehind);
        --i_;
        fail("unknown extension ?<" + unit(), at + 1);
      }
      default: break;
    }
    if (flag_bit(c) || c == '-') return flags(at, c);
    --i_;
    fail("unknown extension ?" + unit(), at + 1);
  }

  // (?P<name>...) and (?P=name).
  void p_group(size_t at) {
    if (eat('<')) {
      const size_t name_at = i_;
      std::string name = group_name('>');
      if (!valid_name(name)) fail("bad character in group name " + repr(name), name_at);
      const int number = out_.groups + 1;
      if (auto it = out_.names.find(name); it != out_.names.end()) {
        fail("redefinition of group name " + repr(name) + " as group " + std::to_string(number) + "; was group " +
                 std::to_string(it->second),
             name_at);
      }
      out_.groups = number;
      out_.names[name] = number;
      out_.group_names.push_back(name);
      open_group(at, GroupKind::kCapture, number);
      out_.tokens.back().name = std::move(name);
      return;
    }
    if (eat('=')) {
      const size_t name_at = i_;
      const std::string name = group_name(')');
      if (!valid_name(name)) fail("bad character in group name " + repr(name), name_at);
      auto it = out_.names.find(name);
      if (it == out_.names.end()) fail("unknown group name " + repr(name), name_at);
      if (is_open(it->second)) fail("cannot refer to an open group", name_at);
      push(TokenKind::kBackref, at).group = it->second;
      return;
    }
    if (!more()) fail("unexpected end of pattern", i_);
    fail("unknown extension ?P" + unit(), at + 1);
  }

  // (?(group)yes|no): the group must exist already.
  void conditional(size_t at) {
    const size_t name_at = i_;
    const std::string name = group_name(')');
    int number = 0;
    if (valid_name(name)) {
      auto it = out_.names.find(name);
      if (it == out_.names.end()) fail("unknown group name " + repr(name), name_at);
      number = it->second;
    } else if (name.find_first_not_of("0123456789") == std::string::npos && name.size() < 6) {
      number = std::stoi(name);
      if (number == 0) fail("bad group number", name_at);
      if (number > out_.groups) fail("invalid group reference " + std::to_string(number), name_at);
    } else {
      fail("bad character in group name " + repr(name), name_at);
    }
    open_group(at, GroupKind::kConditional, number);
  }

  // Python's _parse_flags, `c` (a flag letter or "-") already read.
  void flags(size_t at, char c) {
    unsigned on = 0, off = 0;
    if (c != '-') {
      for (;;) {
        const unsigned bit = flag_bit(c);
        if (!bytes_ && c == 'L') fail("bad inline flags: cannot use 'L' flag with a str pattern", i_);
        if (bytes_ && c == 'u') fail("bad inline flags: cannot use 'u' flag with a bytes pattern", i_);
        on |= bit;
        if ((bit & kTypeFlags) && (on & kTypeFlags) != bit) {
          fail("bad inline flags: flags 'a', 'u' and 'L' are incompatible", i_);
        }
        if (!more()) fail("missing -, : or )", i_);
        c = p_[i_++];
        if (c == ')' || c == '-' || c == ':') break;
        if (!flag_bit(c)) fail(py_isalpha(c, bytes_) ? "unknown flag" : "missing -, : or )", i_ - 1);
      }
    }
    if (c == ')') {
      for (const auto& t : out_.tokens) {
        if (t.kind != TokenKind::kGlobalFlags) fail("global flags not at the start of the expression", at);
      }
      out_.flags |= on;
      verbose_ = verbose_ || (on & kVerbose);
      push(TokenKind::kGlobalFlags, at).flags_on = on;
      return;
    }
    if (c == '-') {
      if (!more()) fail("missing flag", i_);
      c = p_[i_++];
      if (!flag_bit(c)) fail(py_isalpha(c, bytes_) ? "unknown flag" : "missing flag", i_ - 1);
      for (;;) {
        const unsigned bit = flag_bit(c);
        if (bit & kTypeFlags) fail("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", i_);
        off |= bit;
        if (!more()) fail("missing :", i_);
        c = p_[i_++];
        if (c == ':') break;
        if (!flag_bit(c)) fail(py_isalpha(c, bytes_) ? "unknown flag" : "missing :", i_ - 1);
      }
    }
    if (on & off) fail("bad inline flags: flag turned on and off", i_ - 1);
    open_group(at, GroupKind::kScopedFlags);
    out_.tokens.back().flags_on = on;
    out_.tokens.back().flags_off = off;
  }

  const std::string_view p_;
  const bool bytes_;
  bool verbose_;
  const size_t lone_backslash_;  // see fail()
  size_t i_ = 0;
  Syntax out_;
  std::vector<int> open_;  // the groups open at i_, innermost last (0: not capturing)
};

}  // namespace

ByteSet digit_bytes() { return byte_range('0', '9'); }
ByteSet space_bytes() { return byte_range('\t', '\r') | byte_range(' ', ' '); }
ByteSet word_bytes() { return byte_range('a', 'z') | byte_range('A', 'Z') | digit_bytes() | byte_range('_', '_'); }

std::string error_at(std::string_view pattern, const std::string& what, size_t pos, bool bytes) {
  // Python counts characters in a str pattern: skip UTF-8 continuation bytes.
  auto counted = [&](size_t from, size_t to) {
    size_t n = 0;
    for (size_t k = from; k < to && k < pattern.size(); ++k) n += bytes || (static_cast<unsigned char>(pattern[k]) & 0xC0) != 0x80;
    return n;
  };
  std::string out = what + " at position " + std::to_string(counted(0, pos));
  if (pattern.find('\n') == std::string_view::npos) return out;
  size_t line = 1;
  for (size_t k = 0; k < pos && k < pattern.size(); ++k) line += pattern[k] == '\n';
  const size_t last = pos == 0 ? std::string_view::npos : pattern.rfind('\n', pos - 1);
  const size_t column = last == std::string_view::npos ? counted(0, pos) + 1 : counted(last, pos);
  return out + " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
}

Result<std::vector<TemplatePiece>> read_python_template(std::string_view tmpl, int groups,
                                                         const std::map<std::string, int>& names) {
  std::vector<TemplatePiece> out;
  auto text = [&](const std::string& piece) {
    if (out.empty() || out.back().group >= 0) out.emplace_back();
    out.back().text += piece;
  };
  auto error = [](const std::string& message) { return Error(ErrorKind::kInvalidInput, message); };
  for (size_t i = 0; i < tmpl.size();) {
    const char c = tmpl[i++];
    if (c != '\\') {
      text(std::string(1, c));
      continue;
    }
    if (i == tmpl.size()) return error("bad escape (end of pattern)");
    const char d = tmpl[i++];
    std::uint64_t number = 0;
    std::string ref;  // the group as written
    if (d == 'g') {
      if (i == tmpl.size() || tmpl[i] != '<') return error("missing <");
      const size_t close = tmpl.find('>', ++i);
      if (close == std::string_view::npos) {
        return error(i == tmpl.size() ? "missing group name" : "missing >, unterminated name");
      }
      ref = std::string(tmpl.substr(i, close - i));
      i = close + 1;
      if (ref.empty()) return error("missing group name");
      if (ref.find_first_not_of("0123456789") != std::string::npos) {
        if (!valid_name(ref)) return error("bad character in group name " + repr(ref));
        auto it = names.find(ref);
        if (it == names.end()) return error("unknown group name " + repr(ref));
        out.push_back({"", it->second});
        continue;
      }
      // A number too long to be any group's is no group's name either.
      if (ref.size() > 18) return error("unknown group name " + repr(ref));
      number = std::stoull(ref);
    } else if (d == '0' || (is_octal(d) && i + 1 < tmpl.size() && is_octal(tmpl[i]) && is_octal(tmpl[i + 1]))) {
      // Octal: \0 with up to two more digits, or three octal digits.
      const size_t start = i - 2;
      std::uint32_t value = static_cast<std::uint32_t>(d - '0');
      for (int k = 0; k < 2 && i < tmpl.size() && is_octal(tmpl[i]); ++k) value = value * 8 + static_cast<std::uint32_t>(tmpl[i++] - '0');
      if (value > 0377) {
        return error("octal escape value " + std::string(tmpl.substr(start, i - start)) + " outside of range 0-0o377");
      }
      text(std::string(1, static_cast<char>(value)));
      continue;
    } else if (is_digit(d)) {
      number = static_cast<std::uint64_t>(d - '0');
      if (i < tmpl.size() && is_digit(tmpl[i])) number = number * 10 + static_cast<std::uint64_t>(tmpl[i++] - '0');
    } else if (d == '\\') {
      text("\\");
      continue;
    } else if (char ctl = control_escape(d, true)) {
      text(std::string(1, ctl));
      continue;
    } else if (is_ascii_letter(d)) {
      return error(std::string("bad escape \\") + d);
    } else {
      text(std::string("\\") + d);
      continue;
    }
    if (number > static_cast<std::uint64_t>(groups)) return error("invalid group reference " + std::to_string(number));
    out.push_back({"", static_cast<int>(number)});
  }
  return out;
}

Result<Syntax> read_python_regex(std::string_view pattern, const SyntaxOptions& options) {
  try {
    return Reader(pattern, options).read();
  } catch (const SyntaxError& e) {
    return Error(ErrorKind::kInvalidInput, error_at(pattern, e.what, e.pos, options.bytes));
  }
}

}  // namespace fleetk8s::pyre
