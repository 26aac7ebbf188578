#include "fleetk8s/core/py_match.h"

#include <vector>

#include "fleetk8s/core/py_regex_syntax.h"
#include "py_regex_tree.h"

namespace fleetk8s::pyre {

namespace {

using detail::fail;
using detail::Node;
using detail::RegexError;

constexpr size_t kMaxSteps = 50'000;

enum class Op { kByte, kSplit, kJump, kAssert, kMatch };

struct Step {
  Op op = Op::kMatch;
  ByteSet set;                         // kByte: the bytes it takes
  size_t x = 0, y = 0;                 // kSplit: both; kJump: x
  Node::Kind assertion = Node::kBol;   // kAssert: kBol kEol kStart kEnd kWordB kNotWordB
};

}  // namespace

struct PrefixMatcher::Program {
  std::vector<Step> steps;
};

namespace {

class Compiler {
 public:
  std::vector<Step> compile(const Node& root) {
    emit(root);
    add(Step{});  // kMatch
    return std::move(steps_);
  }

 private:
  size_t add(Step s) {
    if (steps_.size() >= kMaxSteps) fail("the pattern is too large (more than 50000 steps once its repeats are counted out)");
    steps_.push_back(std::move(s));
    return steps_.size() - 1;
  }
  size_t here() const { return steps_.size(); }
  size_t split() { return add(Step{Op::kSplit, {}, 0, 0, Node::kBol}); }
  size_t jump() { return add(Step{Op::kJump, {}, 0, 0, Node::kBol}); }
  void byte_step(const ByteSet& set) { add(Step{Op::kByte, set, 0, 0, Node::kBol}); }

  void emit(const Node& n) {
    switch (n.kind) {
      case Node::kEmpty: return;
      case Node::kChar:
        for (char c : n.text) byte_step(byte_range(static_cast<unsigned char>(c), static_cast<unsigned char>(c)));
        return;
      case Node::kSet: byte_step(n.set); return;
      case Node::kAny: byte_step(~byte_range('\n', '\n')); return;
      case Node::kBol:
      case Node::kEol:
      case Node::kStart:
      case Node::kEnd:
      case Node::kWordB:
      case Node::kNotWordB: add(Step{Op::kAssert, {}, 0, 0, n.kind}); return;
      case Node::kBackref: fail("backreferences are not supported here");
      case Node::kGroup: emit(n.kids[0]); return;
      case Node::kConcat:
        for (const auto& k : n.kids) emit(k);
        return;
      case Node::kAlt: alternation(n); return;
      case Node::kRepeat: repeat(n); return;
    }
  }

  // split(a, next) a: kid0 jump(end) next: split(b, ...) ... last kid
  void alternation(const Node& n) {
    std::vector<size_t> jumps;
    for (size_t i = 0; i < n.kids.size(); ++i) {
      if (i + 1 == n.kids.size()) {
        emit(n.kids[i]);
        break;
      }
      const size_t s = split();
      steps_[s].x = here();
      emit(n.kids[i]);
      jumps.push_back(jump());
      steps_[s].y = here();
    }
    for (size_t j : jumps) steps_[j].x = here();
  }

  void repeat(const Node& n) {
    const Node& kid = n.kids[0];
    for (int i = 0; i < n.min; ++i) emit(kid);
    if (n.max < 0) {  // loop: split(body, out) body: kid jump(loop)
      const size_t loop = split();
      steps_[loop].x = here();
      emit(kid);
      steps_[jump()].x = loop;
      steps_[loop].y = here();
      return;
    }
    std::vector<size_t> exits;  // optional copies, each may leave
    for (int i = n.min; i < n.max; ++i) {
      const size_t s = split();
      steps_[s].x = here();
      exits.push_back(s);
      emit(kid);
    }
    for (size_t s : exits) steps_[s].y = here();
  }

  std::vector<Step> steps_;
};

bool is_word(std::string_view text, size_t i) {
  static const ByteSet word = word_bytes();
  return i < text.size() && word.test(static_cast<unsigned char>(text[i]));
}

// Python without MULTILINE: ^ is \A; $ is the end or before a final "\n".
bool holds(Node::Kind a, std::string_view text, size_t i) {
  switch (a) {
    case Node::kBol:
    case Node::kStart: return i == 0;
    case Node::kEol: return i == text.size() || (i + 1 == text.size() && text[i] == '\n');
    case Node::kEnd: return i == text.size();
    case Node::kWordB: return (i > 0 && is_word(text, i - 1)) != is_word(text, i);
    case Node::kNotWordB: return (i > 0 && is_word(text, i - 1)) == is_word(text, i);
    default: return false;
  }
}

}  // namespace

Result<PrefixMatcher> PrefixMatcher::compile(const std::string& pattern) {
  SyntaxOptions options;
  options.bytes = false;
  auto syntax = read_python_regex(pattern, options);
  if (!syntax) return syntax.error();
  try {
    auto program = std::make_shared<Program>();
    program->steps = Compiler().compile(detail::build_tree(pattern, syntax->tokens, /*bytes=*/false));
    PrefixMatcher m;
    m.program_ = std::move(program);
    return m;
  } catch (const RegexError& e) {
    return Error(ErrorKind::kInvalidInput, e.message);
  }
}

bool PrefixMatcher::matches(std::string_view text) const {
  const auto& steps = program_->steps;
  // The states reached at position i (byte steps waiting for text[i]);
  // `seen` marks a step added at the current position.
  std::vector<size_t> now, next, stack;
  std::vector<size_t> seen(steps.size(), SIZE_MAX);
  auto closure = [&](size_t start, size_t i, std::vector<size_t>& into) {
    stack.push_back(start);
    while (!stack.empty()) {
      const size_t pc = stack.back();
      stack.pop_back();
      if (seen[pc] == i) continue;
      seen[pc] = i;
      const Step& s = steps[pc];
      switch (s.op) {
        case Op::kMatch: return true;
        case Op::kJump: stack.push_back(s.x); break;
        case Op::kSplit:
          stack.push_back(s.y);
          stack.push_back(s.x);
          break;
        case Op::kAssert:
          if (holds(s.assertion, text, i)) stack.push_back(pc + 1);
          break;
        case Op::kByte: into.push_back(pc); break;
      }
    }
    return false;
  };
  if (closure(0, 0, now)) return true;
  for (size_t i = 0; i < text.size() && !now.empty(); ++i) {
    next.clear();
    const auto c = static_cast<unsigned char>(text[i]);
    for (size_t pc : now) {
      if (steps[pc].set.test(c) && closure(pc + 1, i + 1, next)) return true;
    }
    std::swap(now, next);
  }
  return false;
}

}  // namespace fleetk8s::pyre
