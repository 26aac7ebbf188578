// Calls in expressions: filters (x | f(...)), tests (x is t(...)),
// functions (range(...)) and methods (s.split(...)), resolved against the
// builtin registry while parsing.
#include <utility>

#include "builtins.h"
#include "parser.h"

namespace fleetk8s::tmpl::detail {
namespace {

bool is_constant_string(const NodePtr& node) {
  return node && node->kind == Node::Kind::kConstant && node->constant.is_string();
}

}  // namespace

Result<ExpressionParser::RawArgs> ExpressionParser::call_args() {
  advance();  // (
  RawArgs args;
  while (!peek().is_op(")")) {
    if (!args.positional.empty() || !args.keywords.empty()) {
      if (!skip_op(",")) return expected("')' after arguments");
      if (peek().is_op(")")) break;
    }
    if (peek().kind == Token::Kind::kName && pos_ + 1 < tokens_.size() && tokens_[pos_ + 1].is_op("=")) {
      std::string key(advance().text);
      advance();
      auto value = expression();
      if (!value) return value.error();
      args.keywords.emplace_back(std::move(key), std::move(*value));
      continue;
    }
    if (!args.keywords.empty()) {
      return source_.error(peek().pos, "positional argument follows keyword argument");
    }
    auto value = expression();
    if (!value) return value.error();
    args.positional.push_back(std::move(*value));
  }
  advance();
  return args;
}

Result<void> ExpressionParser::bind_args(Node& node, RawArgs args, const std::string& callee) {
  auto bound = bind(node.builtin->signature, callee, std::move(args.positional), std::move(args.keywords));
  if (!bound) return source_.error(node.pos, bound.error().message());
  for (auto& a : bound->args) node.args.push_back(a ? std::move(*a) : NodePtr());
  node.rest = std::move(bound->rest);
  return check_named_builtins(node);
}

// map('upper'), select('match', ...): a constant filter or test name is
// checked now, like a filter written with `|`.
Result<void> ExpressionParser::check_named_builtins(const Node& node) {
  auto check = [&](int at, bool is_filter) -> Result<void> {
    if (at < 0 || static_cast<size_t>(at) >= node.rest.size()) return {};
    const NodePtr& arg = node.rest[static_cast<size_t>(at)];
    if (!is_constant_string(arg)) return {};
    const std::string& name = arg->constant.as_string();
    if (is_filter && !find_filter(name)) {
      return source_.error(arg->pos, "unknown filter '" + name + "'" + suggest_filter(name));
    }
    if (!is_filter && !find_test(name)) {
      return source_.error(arg->pos, "unknown test '" + name + "'" + suggest_test(name));
    }
    return {};
  };
  if (auto r = check(node.builtin->filter_name_at, true); !r) return r;
  return check(node.builtin->test_name_at, false);
}

Result<NodePtr> ExpressionParser::call(NodePtr callee) {
  size_t pos = callee->pos;
  NodePtr node;
  std::string what;
  if (callee->kind == Node::Kind::kName) {
    node = make_node(Node::Kind::kFunction, pos);
    node->builtin = find_function(callee->name);
    if (!node->builtin) return source_.error(pos, "unknown function '" + callee->name + "'");
    what = "function '" + callee->name + "'";
  } else if (callee->kind == Node::Kind::kAttribute) {
    node = make_node(Node::Kind::kMethod, pos);
    node->builtin = find_method(callee->name);
    if (!node->builtin) return source_.error(pos, "unknown method '" + callee->name + "'");
    what = "method '" + callee->name + "'";
    node->kids.push_back(std::move(callee->kids[0]));
  } else {
    return source_.error(peek().pos, "only functions and methods can be called");
  }
  node->name = callee->name;
  auto args = call_args();
  if (!args) return args.error();
  if (auto r = bind_args(*node, std::move(*args), what); !r) return r.error();
  return NodePtr(std::move(node));
}

Result<std::string> ExpressionParser::dotted_name() {
  if (peek().kind != Token::Kind::kName) return expected("a name");
  std::string name(advance().text);
  while (peek().is_op(".") && pos_ + 1 < tokens_.size() && tokens_[pos_ + 1].kind == Token::Kind::kName) {
    advance();
    name += '.';
    name += advance().text;
  }
  return name;
}

Result<NodePtr> ExpressionParser::filters_and_tests(NodePtr node) {
  for (;;) {
    Result<NodePtr> next = NodePtr();
    if (peek().is_op("|")) {
      next = filter(std::move(node));
    } else if (peek().is_name("is")) {
      next = test(std::move(node));
    } else if (peek().is_op("(")) {
      next = call(std::move(node));
    } else {
      return node;
    }
    if (!next) return next;
    if (auto r = measure(**next); !r) return r.error();
    node = std::move(*next);
  }
}

Result<NodePtr> ExpressionParser::filter(NodePtr input) {
  advance();  // |
  size_t pos = peek().pos;
  auto name = dotted_name();
  if (!name) return name.error();
  auto node = make_node(Node::Kind::kFilter, pos);
  node->builtin = find_filter(*name);
  if (!node->builtin) return source_.error(pos, "unknown filter '" + *name + "'" + suggest_filter(*name));
  node->name = std::string(node->builtin->name);
  node->kids.push_back(std::move(input));
  RawArgs args;
  if (peek().is_op("(")) {
    auto parsed = call_args();
    if (!parsed) return parsed.error();
    args = std::move(*parsed);
  }
  if (auto r = bind_args(*node, std::move(args), "filter '" + node->name + "'"); !r) return r.error();
  return NodePtr(std::move(node));
}

Result<NodePtr> ExpressionParser::test(NodePtr input) {
  advance();  // is
  bool negated = skip_name("not");
  size_t pos = peek().pos;
  auto name = dotted_name();
  if (!name) return name.error();
  auto node = make_node(Node::Kind::kTest, pos);
  node->negated = negated;
  node->builtin = find_test(*name);
  if (!node->builtin) return source_.error(pos, "unknown test '" + *name + "'" + suggest_test(*name));
  node->name = std::string(node->builtin->name);
  node->kids.push_back(std::move(input));
  RawArgs args;
  const Token& t = peek();
  if (t.is_op("(")) {
    auto parsed = call_args();
    if (!parsed) return parsed.error();
    args = std::move(*parsed);
  } else if ((t.kind == Token::Kind::kName || t.kind == Token::Kind::kString ||
              t.kind == Token::Kind::kInteger || t.kind == Token::Kind::kFloat || t.is_op("[") ||
              t.is_op("{")) &&
             !t.is_name("else") && !t.is_name("or") && !t.is_name("and") && !t.is_name("if") &&
             !t.is_name("not") && !t.is_name("in")) {
    // `x is divisibleby 3`: one argument without parentheses.
    if (t.is_name("is")) return source_.error(t.pos, "tests cannot be chained with 'is'");
    auto arg = primary();
    if (!arg) return arg;
    auto full = postfix(std::move(*arg));
    if (!full) return full;
    args.positional.push_back(std::move(*full));
  }
  if (auto r = bind_args(*node, std::move(args), "test '" + node->name + "'"); !r) return r.error();
  return NodePtr(std::move(node));
}

}  // namespace fleetk8s::tmpl::detail
