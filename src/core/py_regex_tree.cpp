#include "py_regex_tree.h"

namespace fleetk8s::pyre::detail {

void fail(const std::string& message) { throw RegexError{message}; }

Node leaf(Node::Kind kind) {
  Node n;
  n.kind = kind;
  return n;
}

namespace {

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

// Nests the reader's tokens into a tree, refusing what awk and sed cannot
// express with the position Python would give.
class TreeBuilder {
 public:
  // `bytes`: positions count bytes (a bytes pattern) or characters (str).
  TreeBuilder(const std::string& pattern, const std::vector<Token>& tokens, bool bytes)
      : p_(pattern), t_(tokens), bytes_(bytes) {}

  Node build() {
    Node n = alternation();
    if (more()) fail_at("unbalanced parenthesis", t_[k_].pos);
    return n;
  }

 private:
  [[noreturn]] void fail_at(const std::string& what, size_t at) { fail(error_at(p_, what, at, bytes_)); }
  bool more() const { return k_ < t_.size(); }
  bool at(TokenKind kind) const { return more() && t_[k_].kind == kind; }

  Node alternation() {
    Node alt = leaf(Node::kAlt);
    alt.kids.push_back(sequence());
    while (at(TokenKind::kAlternation)) {
      ++k_;
      alt.kids.push_back(sequence());
    }
    if (alt.kids.size() == 1) return std::move(alt.kids[0]);
    return alt;
  }

  Node sequence() {
    Node seq = leaf(Node::kConcat);
    while (more() && !at(TokenKind::kAlternation) && !at(TokenKind::kGroupClose)) {
      const Token& t = t_[k_++];
      if (t.kind != TokenKind::kRepeat) {
        seq.kids.push_back(item(t));
        continue;
      }
      if (t.possessive) fail_at("possessive quantifiers are not supported", t.end - 1);
      if (t.min > 9999 || (t.max != kUnbounded && t.max > 9999)) fail_at("the repetition number is too large", t.pos);
      if (seq.kids.empty()) fail_at("nothing to repeat", t.pos);  // the reader has said so already
      Node r = leaf(Node::kRepeat);
      r.min = static_cast<int>(t.min);
      r.max = t.max == kUnbounded ? -1 : static_cast<int>(t.max);
      r.lazy = t.lazy;
      r.kids.push_back(std::move(seq.kids.back()));
      seq.kids.back() = std::move(r);
    }
    return seq;
  }

  Node item(const Token& t) {
    switch (t.kind) {
      case TokenKind::kLiteral: return char_node(t.text);
      case TokenKind::kSet:
        if (t.non_ascii) fail_at("non-ASCII characters in a character class are not supported here", t.pos);
        return set_node(t.matches());
      case TokenKind::kAny: return leaf(Node::kAny);
      case TokenKind::kLineStart: return leaf(Node::kBol);
      case TokenKind::kLineEnd: return leaf(Node::kEol);
      case TokenKind::kTextStart: return leaf(Node::kStart);
      case TokenKind::kTextEnd: return leaf(Node::kEnd);
      case TokenKind::kWordBoundary: return leaf(Node::kWordB);
      case TokenKind::kNotWordBoundary: return leaf(Node::kNotWordB);
      case TokenKind::kBackref: return backref_node(t.group);
      case TokenKind::kGlobalFlags: fail_at("inline flags such as (?i) are not supported", t.pos);
      case TokenKind::kGroupOpen: return group(t);
      default: fail_at("unexpected token", t.pos);  // separators and repeats are taken above
    }
  }

  Node group(const Token& open) {
    switch (open.group_kind) {
      case GroupKind::kCapture:
      case GroupKind::kNonCapture: break;
      case GroupKind::kLookahead:
      case GroupKind::kNegativeLookahead:
        fail_at("lookahead assertions (?=...) and (?!...) are not supported", open.pos);
      case GroupKind::kLookbehind:
      case GroupKind::kNegativeLookbehind:
        fail_at("lookbehind assertions (?<=...) and (?<!...) are not supported", open.pos);
      case GroupKind::kAtomic: fail_at("atomic groups (?>...) are not supported", open.pos);
      case GroupKind::kConditional: fail_at("conditional groups (?(...)...) are not supported", open.pos);
      case GroupKind::kScopedFlags: fail_at("inline flags such as (?i) are not supported", open.pos);
    }
    Node g = leaf(Node::kGroup);
    g.group = open.group_kind == GroupKind::kCapture ? open.group : 0;
    g.kids.push_back(alternation());
    if (!at(TokenKind::kGroupClose)) fail_at("missing ), unterminated subpattern", open.pos);
    ++k_;
    return g;
  }

  const std::string& p_;
  const std::vector<Token>& t_;
  const bool bytes_;
  size_t k_ = 0;
};

}  // namespace

Node build_tree(const std::string& pattern, const std::vector<Token>& tokens, bool bytes) {
  return TreeBuilder(pattern, tokens, bytes).build();
}

}  // namespace fleetk8s::pyre::detail
