#include "text_lib.h"

#include <bitset>
#include <optional>
#include <set>

#include "arg_check.h"
#include "file_lib.h"

namespace fleetk8s::modules {

namespace {

using ByteSet = std::bitset<256>;

// A translation problem; thrown inside this file only and returned as an
// Error by the public functions.
struct RegexError {
  std::string message;
};

[[noreturn]] void fail(const std::string& message) { throw RegexError{message}; }

ByteSet range_set(int lo, int hi) {
  ByteSet s;
  for (int c = lo; c <= hi; ++c) s.set(c);
  return s;
}

// Python's classes for bytes patterns (and for ASCII text).
const ByteSet kDigit = range_set('0', '9');
const ByteSet kSpace = range_set('\t', '\r') | range_set(' ', ' ');
const ByteSet kWord = range_set('a', 'z') | range_set('A', 'Z') | kDigit | range_set('_', '_');
const ByteSet kNewline = range_set('\n', '\n');

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

// ---------------------------------------------------------------------------
// The pattern as a tree.

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

Node leaf(Node::Kind kind) {
  Node n;
  n.kind = kind;
  return n;
}
Node char_node(std::string text) {
  Node n = leaf(Node::kChar);
  n.text = std::move(text);
  return n;
}
Node set_node(const ByteSet& set) {
  Node n = leaf(Node::kSet);
  n.set = set;
  return n;
}
Node backref_node(int group) {
  Node n = leaf(Node::kBackref);
  n.group = group;
  return n;
}

bool is_anchor(const Node& n) {
  return n.kind == Node::kBol || n.kind == Node::kEol || n.kind == Node::kStart || n.kind == Node::kEnd ||
         n.kind == Node::kWordB || n.kind == Node::kNotWordB;
}

// Reads a pattern the way Python's sre_parse does, with its error messages.
class Parser {
 public:
  Parser(const std::string& pattern, bool bytes) : p_(pattern), bytes_(bytes) {}

  Node parse() {
    Node n = alternation();
    if (more()) fail_at("unbalanced parenthesis", i_);
    return n;
  }
  int groups() const { return groups_; }
  const std::map<std::string, int>& names() const { return names_; }

 private:
  [[noreturn]] void fail_at(const std::string& what, size_t at) {
    fail(what + " at position " + std::to_string(at));
  }
  bool more() const { return i_ < p_.size(); }
  char peek() const { return p_[i_]; }
  bool eat(char c) {
    if (!more() || p_[i_] != c) return false;
    ++i_;
    return true;
  }

  Node alternation() {
    Node alt = leaf(Node::kAlt);
    alt.kids.push_back(sequence());
    while (eat('|')) alt.kids.push_back(sequence());
    if (alt.kids.size() == 1) return std::move(alt.kids[0]);
    return alt;
  }

  Node sequence() {
    Node seq = leaf(Node::kConcat);
    while (more() && peek() != '|' && peek() != ')') {
      const size_t at = i_;
      const char c = peek();
      if (c == '*' || c == '+' || c == '?' || c == '{') {
        int min = 0, max = -1;
        if (!repeat_bounds(min, max)) {
          seq.kids.push_back(char_node("{"));
          continue;
        }
        if (seq.kids.empty() || is_anchor(seq.kids.back())) fail_at("nothing to repeat", at);
        if (seq.kids.back().kind == Node::kRepeat) fail_at("multiple repeat", at);
        Node r = leaf(Node::kRepeat);
        r.min = min;
        r.max = max;
        if (eat('?')) r.lazy = true;
        else if (more() && peek() == '+') fail_at("possessive quantifiers are not supported", i_);
        r.kids.push_back(std::move(seq.kids.back()));
        seq.kids.back() = std::move(r);
        continue;
      }
      seq.kids.push_back(atom());
    }
    return seq;
  }

  // Reads a quantifier; false (having consumed only "{") when a "{" is a literal.
  bool repeat_bounds(int& min, int& max) {
    const size_t at = i_;
    const char c = p_[i_++];
    if (c == '*') return min = 0, max = -1, true;
    if (c == '+') return min = 1, max = -1, true;
    if (c == '?') return min = 0, max = 1, true;
    if (more() && peek() == '}') return false;
    std::string lo, hi;
    while (more() && is_digit(peek())) lo += p_[i_++];
    if (eat(',')) {
      while (more() && is_digit(peek())) hi += p_[i_++];
    } else {
      hi = lo;
    }
    if (!eat('}')) {
      i_ = at + 1;
      return false;
    }
    if (lo.size() > 4 || hi.size() > 4) fail_at("the repetition number is too large", at);
    min = lo.empty() ? 0 : std::stoi(lo);
    max = hi.empty() ? -1 : std::stoi(hi);
    if (max >= 0 && max < min) fail_at("min repeat greater than max repeat", at);
    return true;
  }

  // One character of the pattern: a byte, or a whole UTF-8 sequence in str mode.
  std::string character() {
    const size_t start = i_++;
    if (!bytes_ && static_cast<unsigned char>(p_[start]) >= 0xC0) {
      while (more() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80) ++i_;
    }
    return p_.substr(start, i_ - start);
  }

  Node atom() {
    const size_t at = i_;
    switch (peek()) {
      case '.': ++i_; return leaf(Node::kAny);
      case '^': ++i_; return leaf(Node::kBol);
      case '$': ++i_; return leaf(Node::kEol);
      case '(': ++i_; return group(at);
      case '[': ++i_; return char_class(at);
      case '\\': ++i_; return escape(at);
      default: return char_node(character());
    }
  }

  Node group(size_t at) {
    int number = 0;
    if (eat('?')) {
      if (eat(':')) {
        // non-capturing
      } else if (eat('P')) {
        if (eat('<')) {
          const std::string name = group_name('>', at);
          if (names_.count(name)) fail_at("redefinition of group name '" + name + "'", at);
          number = ++groups_;
          names_[name] = number;
        } else if (eat('=')) {
          const std::string name = group_name(')', at);
          auto it = names_.find(name);
          if (it == names_.end()) fail_at("unknown group name '" + name + "'", at);
          if (open_.count(it->second)) fail_at("cannot refer to an open group", at);
          return backref_node(it->second);
        } else {
          fail_at("unknown extension ?P", at);
        }
      } else if (eat('#')) {
        while (more() && peek() != ')') ++i_;
        if (!eat(')')) fail_at("missing ), unterminated comment", at);
        return leaf(Node::kEmpty);
      } else if (more() && (peek() == '=' || peek() == '!')) {
        fail_at("lookahead assertions (?=...) and (?!...) are not supported", at);
      } else if (more() && peek() == '<' && i_ + 1 < p_.size() && (p_[i_ + 1] == '=' || p_[i_ + 1] == '!')) {
        fail_at("lookbehind assertions (?<=...) and (?<!...) are not supported", at);
      } else if (more() && peek() == '(') {
        fail_at("conditional groups (?(...)...) are not supported", at);
      } else if (more() && peek() == '>') {
        fail_at("atomic groups (?>...) are not supported", at);
      } else if (more() && std::string("aiLmsux-").find(peek()) != std::string::npos) {
        fail_at("inline flags such as (?i) are not supported", at);
      } else {
        fail_at(std::string("unknown extension ?") + (more() ? std::string(1, peek()) : ""), at);
      }
    } else {
      number = ++groups_;
    }
    if (number) open_.insert(number);
    Node g = leaf(Node::kGroup);
    g.group = number;
    g.kids.push_back(alternation());
    if (!eat(')')) fail_at("missing ), unterminated subpattern", at);
    open_.erase(number);
    return g;
  }

  std::string group_name(char end, size_t at) {
    std::string name;
    while (more() && peek() != end) name += p_[i_++];
    if (!eat(end)) fail_at(std::string("missing ") + end + ", unterminated name", at);
    bool ok = !name.empty() && !is_digit(name[0]);
    for (char c : name) ok = ok && (is_ascii_letter(c) || is_digit(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80);
    if (!ok) fail_at("bad character in group name '" + name + "'", at);
    return name;
  }

  // An octal escape's value from up to `more_digits` further octal digits.
  char octal(int value, int more_digits, size_t at) {
    for (int k = 0; k < more_digits && more() && is_octal(peek()); ++k) value = value * 8 + (p_[i_++] - '0');
    if (value > 0377) fail_at("octal escape value outside of range 0-0o377", at);
    return static_cast<char>(value);
  }

  char hex_escape(size_t at) {
    if (i_ + 2 > p_.size() || hex_value(p_[i_]) < 0 || hex_value(p_[i_ + 1]) < 0) fail_at("incomplete escape \\x", at);
    const int v = hex_value(p_[i_]) * 16 + hex_value(p_[i_ + 1]);
    i_ += 2;
    return static_cast<char>(v);
  }

  // \d \s \w and their negations; nullopt for any other letter.
  static std::optional<ByteSet> category(char c) {
    switch (c) {
      case 'd': return kDigit;
      case 'D': return ~kDigit;
      case 's': return kSpace;
      case 'S': return ~kSpace;
      case 'w': return kWord;
      case 'W': return ~kWord;
      default: return std::nullopt;
    }
  }

  Node escape(size_t at) {
    if (!more()) fail_at("bad escape (end of pattern)", at);
    const char c = p_[i_];
    if (auto cat = category(c)) {
      ++i_;
      return set_node(*cat);
    }
    switch (c) {
      case 'b': ++i_; return leaf(Node::kWordB);
      case 'B': ++i_; return leaf(Node::kNotWordB);
      case 'A': ++i_; return leaf(Node::kStart);
      case 'Z': ++i_; return leaf(Node::kEnd);
      case 'x': ++i_; return char_node(std::string(1, hex_escape(at)));
      case '0': ++i_; return char_node(std::string(1, octal(0, 2, at)));
      default: break;
    }
    if (char ctl = control_escape(c, false)) {
      ++i_;
      return char_node(std::string(1, ctl));
    }
    if (is_digit(c)) {
      ++i_;
      if (more() && is_digit(peek())) {
        if (is_octal(c) && is_octal(peek()) && i_ + 1 < p_.size() && is_octal(p_[i_ + 1])) {
          return char_node(std::string(1, octal(c - '0', 2, at)));
        }
      }
      int number = c - '0';
      if (more() && is_digit(peek())) number = number * 10 + (p_[i_++] - '0');
      if (number > groups_) fail_at("invalid group reference " + std::to_string(number), at);
      if (open_.count(number)) fail_at("cannot refer to an open group", at);
      return backref_node(number);
    }
    if (is_ascii_letter(c)) fail_at(std::string("bad escape \\") + c, at);
    return char_node(character());
  }

  // One member of a [...] set: a byte, or a category when `cat` is set.
  int class_member(std::optional<ByteSet>& cat, size_t at) {
    cat.reset();
    const char c = p_[i_];
    if (c != '\\') {
      if (!bytes_ && static_cast<unsigned char>(c) >= 0x80) {
        fail_at("non-ASCII characters in a character class are not supported here", at);
      }
      ++i_;
      return static_cast<unsigned char>(c);
    }
    ++i_;
    if (!more()) fail_at("unterminated character set", at);
    const char e = p_[i_++];
    if ((cat = category(e))) return -1;
    if (char ctl = control_escape(e, true)) return static_cast<unsigned char>(ctl);
    if (e == 'x') return static_cast<unsigned char>(hex_escape(at));
    if (is_octal(e)) return static_cast<unsigned char>(octal(e - '0', 2, at));
    if (is_digit(e) || is_ascii_letter(e)) fail_at(std::string("bad escape \\") + e, at);
    if (!bytes_ && static_cast<unsigned char>(e) >= 0x80) {
      fail_at("non-ASCII characters in a character class are not supported here", at);
    }
    return static_cast<unsigned char>(e);
  }

  Node char_class(size_t at) {
    const bool negate = eat('^');
    const size_t first = i_;
    ByteSet set;
    for (;;) {
      if (!more()) fail_at("unterminated character set", at);
      if (peek() == ']' && i_ != first) {
        ++i_;
        break;
      }
      std::optional<ByteSet> cat;
      const int lo = class_member(cat, at);
      if (more() && peek() == '-' && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        ++i_;
        std::optional<ByteSet> cat2;
        const int hi = class_member(cat2, at);
        if (cat || cat2 || hi < lo) fail_at("bad character range", at);
        set |= range_set(lo, hi);
      } else if (cat) {
        set |= *cat;
      } else {
        set.set(lo);
      }
    }
    if (negate) set.flip();
    return set_node(set);
  }

  const std::string& p_;
  const bool bytes_;
  size_t i_ = 0;
  int groups_ = 0;
  std::map<std::string, int> names_;
  std::set<int> open_;
};

// ---------------------------------------------------------------------------
// The tree as an ERE.

// The characters a node's match can start (first) or end (!first) with;
// nullopt when it can be empty or is not known.
std::optional<ByteSet> edge_set(const Node& n, bool first) {
  switch (n.kind) {
    case Node::kChar: return range_set(static_cast<unsigned char>(first ? n.text.front() : n.text.back()),
                                       static_cast<unsigned char>(first ? n.text.front() : n.text.back()));
    case Node::kSet: return n.set;
    case Node::kAny: return ~kNewline;
    case Node::kGroup: return edge_set(n.kids[0], first);
    case Node::kRepeat: return n.min >= 1 ? edge_set(n.kids[0], first) : std::nullopt;
    case Node::kConcat:
      if (n.kids.empty()) return std::nullopt;
      return edge_set(first ? n.kids.front() : n.kids.back(), first);
    case Node::kAlt: {
      ByteSet all;
      for (const auto& k : n.kids) {
        auto s = edge_set(k, first);
        if (!s) return std::nullopt;
        all |= *s;
      }
      return all;
    }
    default: return std::nullopt;
  }
}

bool all_word(const ByteSet& s) { return (s & ~kWord).none(); }
bool no_word(const ByteSet& s) { return (s & kWord).none(); }

// A single-character node's set (for lazy quantifiers); nullopt otherwise.
std::optional<ByteSet> single_char_set(const Node& n) {
  if (n.kind == Node::kChar && n.text.size() == 1) return edge_set(n, true);
  if (n.kind == Node::kSet || n.kind == Node::kAny) return edge_set(n, true);
  return std::nullopt;
}

// What comes after a node in the pattern, as a chain; nullptr: the end.
struct Follow {
  const Node* node;
  const Follow* next;
};
// Inside a repetition what follows is not known.
const Node kUnknownNode = leaf(Node::kEmpty);
const Follow kUnknown{&kUnknownNode, nullptr};

class Emitter {
 public:
  Emitter(RegexDialect dialect, int first_group, int python_groups)
      : d_(dialect), ere_groups_(first_group), groups_(python_groups + 1, 0) {}

  std::string top(const Node& n) {
    std::string out = emit(n, nullptr, true);
    if (out.empty() && d_ != RegexDialect::kAwkLine) out = open() + ")";  // `s//` would mean the last regex
    return out;
  }
  const std::vector<int>& groups() const { return groups_; }

 private:
  bool awk() const { return d_ == RegexDialect::kAwkLine; }
  std::string open() {
    ++ere_groups_;
    return "(";
  }

  // `top_level`: `n` starts and ends where the whole pattern does.
  std::string emit(const Node& n, const Follow* follow, bool top_level = false) {
    switch (n.kind) {
      case Node::kEmpty: return "";
      case Node::kChar: return literal(n.text);
      case Node::kSet: return bracket(n.set);
      case Node::kAny: return awk() ? bracket(~kNewline) : ".";
      case Node::kBol: return "^";
      case Node::kEol: return awk() ? open() + "\n?$)" : "$";
      case Node::kStart: return awk() ? "^" : "\\`";
      case Node::kEnd: return awk() ? "$" : "\\'";
      case Node::kWordB:
        if (awk()) fail("\\b is only supported at the start or end of the pattern, next to a word character");
        return "\\b";
      case Node::kNotWordB:
        if (awk()) fail("\\B is not supported here");
        return "\\B";
      case Node::kBackref: {
        if (awk()) fail("backreferences inside the pattern are not supported here");
        const int g = groups_[n.group];
        if (g > 9) fail("backreference \\" + std::to_string(n.group) + " would be group " + std::to_string(g) + " (sed has \\1 to \\9)");
        return "\\" + std::to_string(g);
      }
      case Node::kGroup: {
        std::string out = open();
        if (n.group) groups_[n.group] = ere_groups_;
        return out + emit(n.kids[0], follow, top_level) + ")";
      }
      case Node::kConcat: return concat(n, follow, top_level);
      case Node::kAlt: return alternation(n, follow, top_level);
      case Node::kRepeat: return repeat(n, follow);
    }
    return "";
  }

  static bool empty_node(const Node& n) {
    if (n.kind == Node::kEmpty) return true;
    if (n.kind != Node::kConcat) return false;
    for (const auto& k : n.kids)
      if (!empty_node(k)) return false;
    return true;
  }

  std::string alternation(const Node& n, const Follow* follow, bool top_level) {
    bool has_empty = false;
    for (const auto& k : n.kids) has_empty = has_empty || empty_node(k);
    std::string out = has_empty ? open() : "";
    bool first = true;
    for (const auto& k : n.kids) {
      if (empty_node(k)) continue;
      if (!first) out += "|";
      first = false;
      out += emit(k, follow, top_level && !has_empty);
    }
    if (first) return "";  // only empty alternatives
    return has_empty ? out + ")?" : out;
  }

  std::string concat(const Node& n, const Follow* follow, bool top_level) {
    const auto& kids = n.kids;
    // chain[i]: what follows kids[i].
    std::vector<Follow> chain(kids.size());
    for (size_t i = kids.size(); i-- > 0;) {
      chain[i] = i + 1 < kids.size() ? Follow{&kids[i + 1], i + 2 < kids.size() ? &chain[i + 1] : follow} : Follow{};
    }
    std::string out;
    for (size_t i = 0; i < kids.size(); ++i) {
      const Follow* after = i + 1 < kids.size() ? &chain[i] : follow;
      if (kids[i].kind == Node::kWordB && awk()) {
        out += word_boundary(kids, i, top_level);
      } else {
        out += emit(kids[i], after, top_level && kids.size() == 1);
      }
    }
    return out;
  }

  // awk has no \b: where the characters on both sides are known, it is
  // spelled with the character before or after (which only shifts where the
  // match starts or ends; awk only asks whether a line matches).
  std::string word_boundary(const std::vector<Node>& kids, size_t i, bool top_level) {
    size_t before = 0;
    bool anchored = false;
    for (size_t k = 0; k < i; ++k) {
      if (kids[k].kind == Node::kBol || kids[k].kind == Node::kStart) anchored = true;
      else before = k + 1;
    }
    bool at_end = true;
    for (size_t k = i + 1; k < kids.size(); ++k)
      at_end = at_end && (kids[k].kind == Node::kEol || kids[k].kind == Node::kEnd);
    const auto prev = before == 0 ? std::nullopt : edge_set(kids[before - 1], false);
    const auto next = i + 1 < kids.size() ? edge_set(kids[i + 1], true) : std::nullopt;
    if (prev && next && ((all_word(*prev) && no_word(*next)) || (no_word(*prev) && all_word(*next)))) return "";
    if (before == 0 && next && all_word(*next)) {
      if (anchored) return "";
      if (top_level) return open() + "^|" + bracket(~kWord) + ")";
    }
    if (top_level && at_end && prev && all_word(*prev)) return open() + bracket(~kWord) + "|$)";
    fail("\\b is only supported at the start or end of the pattern, next to a word character");
  }

  std::string repeat(const Node& n, const Follow* follow) {
    const Node& kid = n.kids[0];
    int min = n.min, max = n.max;
    if (n.lazy && !awk() && min != max) {
      if (follow == nullptr) {
        max = min;  // at the very end, lazy takes the least
      } else {
        // Lazy, then one character c, then the end: the mandatory part, then
        // anything but c, then c.
        auto self = single_char_set(kid);
        auto stop = follow != &kUnknown && follow->next == nullptr ? single_char_set(*follow->node) : std::nullopt;
        if (!self || !stop) {
          fail("lazy quantifiers (*?, +?, ??, {m,n}?) are only supported at the end of the pattern or before its last character");
        }
        std::string out;
        const std::string atom = bracket(*self);
        for (int k = 0; k < min; ++k) out += atom;
        ByteSet rest = *self & ~*stop;
        rest.reset(0);
        if (rest.none()) return out;
        return out + bounds(bracket(rest), 0, max < 0 ? -1 : max - min);
      }
    }
    std::string atom = emit(kid, &kUnknown);
    if (kid.kind == Node::kChar && kid.text.size() > 1) atom = open() + atom + ")";
    if (atom.empty()) return "";
    return bounds(atom, min, max);
  }

  std::string bounds(const std::string& atom, int min, int max) {
    if (min == 0 && max < 0) return atom + "*";
    if (min == 1 && max < 0) return atom + "+";
    if (min == 0 && max == 1) return atom + "?";
    if (!awk()) {
      if (max < 0) return atom + "{" + std::to_string(min) + ",}";
      if (min == max) return atom + "{" + std::to_string(min) + "}";
      return atom + "{" + std::to_string(min) + "," + std::to_string(max) + "}";
    }
    // mawk before 2020 reads {m,n} as text: spell the repetition out.
    const int copies = max < 0 ? min + 1 : max;
    if (copies > 255 || static_cast<size_t>(copies) * atom.size() > 20000) {
      fail("the repetition {" + std::to_string(min) + "," + (max < 0 ? "" : std::to_string(max)) + "} is too large");
    }
    std::string out;
    for (int k = 0; k < min; ++k) out += atom;
    if (max < 0) return out + atom + "*";
    for (int k = min; k < max; ++k) out += atom + "?";
    return out;
  }

  std::string literal(const std::string& bytes) const {
    std::string out;
    for (char c : bytes) {
      if (c == '\n' && !awk()) {
        out += "\\n";
      } else if ((c == '{' || c == '}') && awk()) {
        out += std::string("[") + c + "]";
      } else if (std::string(".[()*+?|^$\\{}").find(c) != std::string::npos) {
        out += '\\';
        out += c;
      } else {
        out += c;
      }
    }
    return out;
  }

  // A bracket expression for `set` that mawk, gawk and GNU sed read alike:
  // "]" first, "-" first or last, "[" never before ":.=", "\\" doubled.
  std::string bracket(ByteSet set) const {
    set.reset(0);  // awk strings end at NUL
    const size_t count = set.count();
    if (count == 0) fail("a character class here matches nothing");
    if (count == 1) {
      for (int c = 1; c < 256; ++c)
        if (set.test(c)) return literal(std::string(1, static_cast<char>(c)));
    }
    // Every character: awk's "." and sed's without M take newlines too.
    if (count == 255 && d_ != RegexDialect::kSedMultiline) return ".";
    // Under sed's M flag a negated list never matches a newline: a set
    // holding one must be listed.
    const bool negate = count > 128 && !(d_ == RegexDialect::kSedMultiline && set.test('\n'));
    ByteSet list = negate ? ~set : set;
    list.reset(0);
    auto special = [](int c) { return c == ']' || c == '^' || c == '-' || c == '\\' || c == '[' || c == '\n'; };
    std::string out = negate ? "[^" : "[";
    bool dash_done = false;
    if (list.test(']')) {
      out += ']';
    } else if (list.test('-')) {
      out += '-';
      dash_done = true;
    }
    for (int c = 1; c < 256;) {
      if (!list.test(c) || special(c)) {
        ++c;
        continue;
      }
      int end = c;
      while (end + 1 < 256 && list.test(end + 1) && !special(end + 1)) ++end;
      out += static_cast<char>(c);
      if (end - c >= 2) out += '-';
      if (end > c) out += static_cast<char>(end);
      c = end + 1;
    }
    if (list.test('\\')) out += "\\\\";
    if (list.test('\n')) out += awk() ? "\n" : "\\n";
    if (list.test('[')) out += '[';
    if (list.test('^')) out += '^';
    if (list.test('-') && !dash_done) out += '-';
    return out + "]";
  }

  const RegexDialect d_;
  int ere_groups_;
  std::vector<int> groups_;
};

}  // namespace

Result<Ere> translate_python_regex(const std::string& pattern, RegexDialect dialect, bool bytes, int first_group) {
  try {
    Parser parser(pattern, bytes);
    Node tree = parser.parse();
    Emitter emitter(dialect, first_group, parser.groups());
    Ere ere;
    ere.text = emitter.top(tree);
    ere.groups = emitter.groups();
    ere.names = parser.names();
    return ere;
  } catch (const RegexError& e) {
    return Error(ErrorKind::kInvalidInput, e.message);
  }
}

Result<std::string> translate_python_template(const std::string& tmpl, const Ere& ere, const std::string& newline) {
  std::string out;
  auto text = [&](char c) {
    if (c == '\\') out += "\\\\";
    else if (c == '&') out += "\\&";
    else if (c == '\n') out += newline;
    else out += c;
  };
  const int groups = static_cast<int>(ere.groups.size()) - 1;
  auto group = [&](int number) -> std::optional<Error> {
    if (number > groups) return Error(ErrorKind::kInvalidInput, "invalid group reference " + std::to_string(number));
    if (number == 0) {
      out += "&";
      return std::nullopt;
    }
    const int g = ere.groups[number];
    if (g > 9) return Error(ErrorKind::kInvalidInput, "group " + std::to_string(number) + " would be sed group " + std::to_string(g) + " (sed has \\1 to \\9)");
    out += "\\" + std::to_string(g);
    return std::nullopt;
  };
  for (size_t i = 0; i < tmpl.size();) {
    const char c = tmpl[i++];
    if (c != '\\') {
      text(c);
      continue;
    }
    if (i == tmpl.size()) return Error(ErrorKind::kInvalidInput, "bad escape (end of pattern)");
    const char d = tmpl[i++];
    if (d == 'g') {
      const size_t close = tmpl.find('>', i);
      if (i >= tmpl.size() || tmpl[i] != '<' || close == std::string::npos) {
        return Error(ErrorKind::kInvalidInput, "missing <, or unterminated group name in \\g<...>");
      }
      const std::string name = tmpl.substr(i + 1, close - i - 1);
      i = close + 1;
      int number = -1;
      if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
        number = std::stoi(name.substr(0, 4));
      } else if (auto it = ere.names.find(name); it != ere.names.end()) {
        number = it->second;
      } else {
        return Error(ErrorKind::kInvalidInput, "unknown group name '" + name + "'");
      }
      if (auto e = group(number)) return *e;
    } else if (is_digit(d)) {
      int value = d - '0';
      const bool three_octal = is_octal(d) && i + 1 < tmpl.size() && is_octal(tmpl[i]) && is_octal(tmpl[i + 1]);
      if (d == '0' || three_octal) {
        for (int k = 0; k < 2 && i < tmpl.size() && is_octal(tmpl[i]); ++k) value = value * 8 + (tmpl[i++] - '0');
        if (value > 0377) return Error(ErrorKind::kInvalidInput, "octal escape value outside of range 0-0o377");
        if (value == 0) return Error(ErrorKind::kInvalidInput, "NUL characters in the replacement are not supported");
        text(static_cast<char>(value));
        continue;
      }
      if (i < tmpl.size() && is_digit(tmpl[i])) value = value * 10 + (tmpl[i++] - '0');
      if (auto e = group(value)) return *e;
    } else if (d == '\\') {
      text('\\');
    } else if (char ctl = control_escape(d, true)) {
      text(ctl);
    } else if (is_ascii_letter(d)) {
      return Error(ErrorKind::kInvalidInput, std::string("bad escape \\") + d);
    } else {
      text('\\');
      text(d);
    }
  }
  return out;
}

Result<char> sed_delimiter(const std::vector<std::string>& texts) {
  std::string candidates = "/#,@%!~:;=_";
  for (int c = 1; c < 32; ++c)
    if (c != '\n') candidates += static_cast<char>(c);
  for (char c : candidates) {
    bool used = false;
    for (const auto& t : texts) used = used || t.find(c) != std::string::npos;
    if (!used) return c;
  }
  return Error(ErrorKind::kInvalidInput,
               "regexp and the replacement use every character sed could take as its delimiter "
               "(/#,@%!~:;=_ and the control characters); leave one out");
}

std::string open_text_snippet(const std::string& path, bool create, const std::string& missing_message,
                              const RunMode& mode) {
  std::string s = "fk_changed=0\nfk_path=" + quote(path) + "\nfk_dest=\"$fk_path\"\n";
  s += "if [ -d \"$fk_dest\" ]; then echo \"Path $fk_path is a directory !\" >&2; exit 1; fi\n";
  // Ansible writes through a symlink to the file it names.
  s += "if [ -L \"$fk_dest\" ]; then fk_dest=$(readlink -m -- \"$fk_dest\") || exit 1; fi\n";
  s += "case \"$fk_dest\" in */*) fk_dir=\"${fk_dest%/*}\" ;; *) fk_dir=. ;; esac\n[ -n \"$fk_dir\" ] || fk_dir=/\n";
  s += "if [ -e \"$fk_dest\" ]; then fk_src=\"$fk_dest\"\nelse\n";
  if (!create) return s + "  echo \"" + missing_message + "\" >&2; exit 1\nfi\n";
  s += "  fk_src=/dev/null\n";
  // New directories get Ansible's default 0755: they hold nothing yet.
  if (!mode.check) s += "  [ -d \"$fk_dir\" ] || (umask 022 && mkdir -p -- \"$fk_dir\") || exit 1\n";
  return s + "fi\n";
}

namespace {

const char* kDiffLabel = "if [ \"$fk_src\" = /dev/null ]; then fk_label=/dev/null; else fk_label=\"before: $fk_dest\"; fi\n";

}  // namespace

std::string install_text_snippet(const Value::Object& args, const RunMode& mode, bool backup) {
  std::string s;
  if (mode.diff) {
    s += kDiffLabel;
    s += "diff -u --label \"$fk_label\" --label \"after: $fk_dest\" -- \"$fk_src\" \"$fk_tmp\"\n";
  }
  s += temp_attributes_snippet(args);
  if (backup) s += "if [ -e \"$fk_dest\" ]; then cp -p -- \"$fk_dest\" \"$fk_dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~\" || exit 1; fi\n";
  s += "mv -f -- \"$fk_tmp\" \"$fk_dest\" || exit 1\nfk_tmp=\n";
  return s;
}

std::string rewrite_snippet(const std::string& rewrite, const Value::Object& args, const RunMode& mode, bool backup) {
  if (!mode.check) {
    return "fk_tmp=$(mktemp -- \"$fk_dir/.fleetk8s.tmp.XXXXXXXXXX\") || exit 1\n" + std::string(kRemoveTempOnExit) +
           "fk_out=\"$fk_tmp\"; export fk_out\n" + rewrite + "\ncase $? in\n0) ;;\n100) fk_changed=1\n" +
           install_text_snippet(args, mode, backup) + ";;\n*) exit 1 ;;\nesac\n";
  }
  if (!mode.diff) {
    return "fk_out=; export fk_out\n" + rewrite + "\ncase $? in 0) ;; 100) fk_changed=1 ;; *) exit 1 ;; esac\n";
  }
  return std::string("fk_out=-; export fk_out\n") + kDiffLabel + rewrite +
         " | diff -u --label \"$fk_label\" --label \"after: $fk_dest\" -- \"$fk_src\" -\n"
         "case $? in 0) ;; 1) fk_changed=1 ;; *) exit 1 ;; esac\n"
         // A file that would be created is a change even when created empty.
         "[ \"$fk_src\" = /dev/null ] && fk_changed=1\n";
}

Result<std::string> arg_choice(const Value::Object& args, const std::string& key,
                               const std::vector<std::string>& choices, const std::string& fallback) {
  const std::string v = arg_string(args, key, fallback);
  for (const auto& c : choices)
    if (v == c) return v;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  return Error(ErrorKind::kInvalidInput, key + " must be one of: " + list + "; got \"" + v + "\"");
}

bool has_arg(const Value::Object& args, const std::string& key) {
  auto it = args.find(key);
  return it != args.end() && !it->second.is_null();
}

Result<TextFileArgs> text_file_args(const Value::Object& args, bool with_state) {
  if (auto ok = no_nul(args); !ok) return ok.error();
  TextFileArgs out;
  out.path = arg_string(args, "path");
  if (out.path.empty()) return Error(ErrorKind::kInvalidInput, "path is required");
  if (with_state) {
    auto state = arg_choice(args, "state", {"present", "absent"}, "present");
    if (!state) return state.error();
    out.state = *state;
  }
  if (auto ok = check_attribute_args(args); !ok) return ok.error();
  return out;
}

}  // namespace fleetk8s::modules
