#include "fleetk8s/core/py_ere.h"

#include <optional>

#include "fleetk8s/core/py_regex_syntax.h"
#include "py_regex_tree.h"

namespace fleetk8s::pyre {

namespace {

using detail::fail;
using detail::leaf;
using detail::Node;
using detail::RegexError;

const ByteSet kWord = word_bytes();
const ByteSet kNewline = byte_range('\n', '\n');

// ---------------------------------------------------------------------------
// The tree as an ERE.

// The characters a node's match can start (first) or end (!first) with;
// nullopt when it can be empty or is not known.
std::optional<ByteSet> edge_set(const Node& n, bool first) {
  switch (n.kind) {
    case Node::kChar: return byte_range(static_cast<unsigned char>(first ? n.text.front() : n.text.back()),
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
  SyntaxOptions options;
  options.bytes = bytes;
  auto syntax = read_python_regex(pattern, options);
  if (!syntax) return syntax.error();
  try {
    Node tree = detail::build_tree(pattern, syntax->tokens, bytes);
    Emitter emitter(dialect, first_group, syntax->groups);
    Ere ere;
    ere.text = emitter.top(tree);
    ere.groups = emitter.groups();
    ere.names = syntax->names;
    return ere;
  } catch (const RegexError& e) {
    return Error(ErrorKind::kInvalidInput, e.message);
  }
}

Result<std::string> translate_python_template(const std::string& tmpl, const Ere& ere, const std::string& newline) {
  auto pieces = read_python_template(tmpl, static_cast<int>(ere.groups.size()) - 1, ere.names);
  if (!pieces) return pieces.error();
  std::string out;
  for (const auto& piece : *pieces) {
    if (piece.group == 0) {
      out += "&";
    } else if (piece.group > 0) {
      const int g = ere.groups[piece.group];
      if (g > 9) {
        return Error(ErrorKind::kInvalidInput, "group " + std::to_string(piece.group) + " would be sed group " +
                                                   std::to_string(g) + " (sed has \\1 to \\9)");
      }
      out += "\\" + std::to_string(g);
    } else {
      for (char c : piece.text) {
        if (c == '\0') return Error(ErrorKind::kInvalidInput, "NUL characters in the replacement are not supported");
        if (c == '\\') out += "\\\\";
        else if (c == '&') out += "\\&";
        else if (c == '\n') out += newline;
        else out += c;
      }
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

}  // namespace fleetk8s::pyre
