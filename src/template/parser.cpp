#include "parser.h"

#include <string>
#include <utility>


namespace fleetk8s::tmpl::detail {
namespace {

NodePtr constant(Value v, size_t pos) {
  auto node = make_node(Node::Kind::kConstant, pos);
  node->constant = std::move(v);
  return node;
}

NodePtr binary(Node::Kind kind, NodePtr left, NodePtr right, size_t pos,
               BinaryOp op = BinaryOp::kAdd) {
  auto node = make_node(kind, pos);
  node->binary_op = op;
  node->kids.push_back(std::move(left));
  node->kids.push_back(std::move(right));
  return node;
}

}  // namespace

ExpressionParser::ExpressionParser(const std::vector<Token>& tokens, const Source& source,
                                   Terminator terminator)
    : tokens_(tokens), source_(source), terminator_(terminator) {}

bool ExpressionParser::skip_op(std::string_view op) {
  if (!peek().is_op(op)) return false;
  advance();
  return true;
}

bool ExpressionParser::skip_name(std::string_view name) {
  if (!peek().is_name(name)) return false;
  advance();
  return true;
}

Error ExpressionParser::expected(const std::string& what) const {
  return source_.error(peek().pos, "expected " + what + ", got " + describe(peek(), terminator_));
}

Error ExpressionParser::too_deep(size_t pos) const {
  return source_.error(pos, "expression nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
}

Result<void> ExpressionParser::measure(Node& node) const {
  update_height(node);
  if (node.height >= kMaxDepth) return too_deep(node.pos);
  return {};
}

Result<void> ExpressionParser::expect_end() {
  if (at_end()) return {};
  return source_.error(peek().pos, "unexpected " + describe(peek(), terminator_) + " after the expression");
}

Result<NodePtr> ExpressionParser::expression() { return condition(); }

Result<NodePtr> ExpressionParser::tuple(bool with_condition) {
  size_t pos = peek().pos;
  auto first = with_condition ? condition() : or_expr();
  if (!first || !peek().is_op(",")) return first;
  auto list = make_node(Node::Kind::kList, pos);
  list->tuple = true;
  list->kids.push_back(std::move(*first));
  while (skip_op(",")) {
    if (at_end() || peek().is_name("if")) break;
    auto item = with_condition ? condition() : or_expr();
    if (!item) return item.error();
    list->kids.push_back(std::move(*item));
  }
  if (auto r = measure(*list); !r) return r.error();
  return NodePtr(std::move(list));
}

Result<NodePtr> ExpressionParser::condition() {
  auto body = or_expr();
  if (!body) return body;
  NodePtr result = std::move(*body);
  while (peek().is_name("if")) {
    size_t pos = advance().pos;
    auto test = or_expr();
    if (!test) return test;
    NodePtr otherwise;
    if (skip_name("else")) {
      auto e = nested([&] { return condition(); });
      if (!e) return e;
      otherwise = std::move(*e);
    }
    auto node = make_node(Node::Kind::kIf, pos);
    node->kids.push_back(std::move(*test));
    node->kids.push_back(std::move(result));
    node->kids.push_back(std::move(otherwise));
    if (auto r = measure(*node); !r) return r.error();
    result = std::move(node);
  }
  return result;
}

Result<NodePtr> ExpressionParser::or_expr() {
  auto left = and_expr();
  if (!left) return left;
  NodePtr node = std::move(*left);
  while (peek().is_name("or")) {
    size_t pos = advance().pos;
    auto right = and_expr();
    if (!right) return right;
    node = binary(Node::Kind::kOr, std::move(node), std::move(*right), pos);
    if (auto r = measure(*node); !r) return r.error();
  }
  return node;
}

Result<NodePtr> ExpressionParser::and_expr() {
  auto left = not_expr();
  if (!left) return left;
  NodePtr node = std::move(*left);
  while (peek().is_name("and")) {
    size_t pos = advance().pos;
    auto right = not_expr();
    if (!right) return right;
    node = binary(Node::Kind::kAnd, std::move(node), std::move(*right), pos);
    if (auto r = measure(*node); !r) return r.error();
  }
  return node;
}

Result<NodePtr> ExpressionParser::not_expr() {
  if (!peek().is_name("not")) return compare();
  size_t pos = advance().pos;
  auto operand = nested([&] { return not_expr(); });
  if (!operand) return operand;
  auto node = make_node(Node::Kind::kNot, pos);
  node->kids.push_back(std::move(*operand));
  if (auto r = measure(*node); !r) return r.error();
  return NodePtr(std::move(node));
}

Result<NodePtr> ExpressionParser::compare() {
  auto first = math1();
  if (!first) return first;
  NodePtr node;
  size_t pos = peek().pos;
  for (;;) {
    CompareOp op;
    const Token& t = peek();
    if (t.is_op("==")) op = CompareOp::kEq;
    else if (t.is_op("!=")) op = CompareOp::kNe;
    else if (t.is_op("<")) op = CompareOp::kLt;
    else if (t.is_op("<=")) op = CompareOp::kLe;
    else if (t.is_op(">")) op = CompareOp::kGt;
    else if (t.is_op(">=")) op = CompareOp::kGe;
    else if (t.is_name("in")) op = CompareOp::kIn;
    else if (t.is_name("not") && pos_ + 1 < tokens_.size() && tokens_[pos_ + 1].is_name("in")) {
      advance();
      op = CompareOp::kNotIn;
    } else {
      break;
    }
    advance();
    auto right = math1();
    if (!right) return right;
    if (!node) {
      node = make_node(Node::Kind::kCompare, pos);
      node->kids.push_back(std::move(*first));
    }
    node->compare_ops.push_back(op);
    node->kids.push_back(std::move(*right));
  }
  if (!node) return first;
  if (auto r = measure(*node); !r) return r.error();
  return NodePtr(std::move(node));
}

Result<NodePtr> ExpressionParser::math1() {
  auto left = concat();
  if (!left) return left;
  NodePtr node = std::move(*left);
  while (peek().is_op("+") || peek().is_op("-")) {
    const Token& op = advance();
    auto right = concat();
    if (!right) return right;
    node = binary(Node::Kind::kBinary, std::move(node), std::move(*right), op.pos,
                  op.text == "+" ? BinaryOp::kAdd : BinaryOp::kSub);
    if (auto r = measure(*node); !r) return r.error();
  }
  return node;
}

Result<NodePtr> ExpressionParser::concat() {
  auto left = math2();
  if (!left) return left;
  NodePtr node = std::move(*left);
  while (peek().is_op("~")) {
    size_t pos = advance().pos;
    auto right = math2();
    if (!right) return right;
    node = binary(Node::Kind::kConcat, std::move(node), std::move(*right), pos);
    if (auto r = measure(*node); !r) return r.error();
  }
  return node;
}

Result<NodePtr> ExpressionParser::math2() {
  auto left = power();
  if (!left) return left;
  NodePtr node = std::move(*left);
  for (;;) {
    BinaryOp op;
    if (peek().is_op("*")) op = BinaryOp::kMul;
    else if (peek().is_op("/")) op = BinaryOp::kDiv;
    else if (peek().is_op("//")) op = BinaryOp::kFloorDiv;
    else if (peek().is_op("%")) op = BinaryOp::kMod;
    else break;
    size_t pos = advance().pos;
    auto right = power();
    if (!right) return right;
    node = binary(Node::Kind::kBinary, std::move(node), std::move(*right), pos, op);
    if (auto r = measure(*node); !r) return r.error();
  }
  return node;
}

// Jinja's ** is left-associative and binds looser than unary minus:
// -2 ** 2 == 4, 2 ** 3 ** 2 == 64.
Result<NodePtr> ExpressionParser::power() {
  auto left = unary(true);
  if (!left) return left;
  NodePtr node = std::move(*left);
  while (peek().is_op("**")) {
    size_t pos = advance().pos;
    auto right = unary(true);
    if (!right) return right;
    node = binary(Node::Kind::kBinary, std::move(node), std::move(*right), pos, BinaryOp::kPow);
    if (auto r = measure(*node); !r) return r.error();
  }
  return node;
}

// As in Jinja, a filter after a unary minus applies to the negated value:
// -3 | abs == 3.
Result<NodePtr> ExpressionParser::unary(bool with_filter) {
  // Every nested expression passes here: bound the recursion.
  return nested([&] { return unary_unbounded(with_filter); });
}

Result<NodePtr> ExpressionParser::unary_unbounded(bool with_filter) {
  Result<NodePtr> node = NodePtr();
  if (peek().is_op("-") || peek().is_op("+")) {
    const Token& op = advance();
    auto operand = unary(false);
    if (!operand) return operand;
    auto n = make_node(op.text == "-" ? Node::Kind::kNegate : Node::Kind::kPlus, op.pos);
    n->kids.push_back(std::move(*operand));
    if (auto r = measure(*n); !r) return r.error();
    node = NodePtr(std::move(n));
  } else {
    node = primary();
    if (!node) return node;
  }
  node = postfix(std::move(*node));
  if (!node || !with_filter) return node;
  return filters_and_tests(std::move(*node));
}

Result<NodePtr> ExpressionParser::primary() {
  const Token& t = peek();
  switch (t.kind) {
    case Token::Kind::kName: {
      advance();
      if (t.text == "true" || t.text == "True") return constant(Value(true), t.pos);
      if (t.text == "false" || t.text == "False") return constant(Value(false), t.pos);
      if (t.text == "none" || t.text == "None") return constant(Value(), t.pos);
      auto node = make_node(Node::Kind::kName, t.pos);
      node->name = std::string(t.text);
      return NodePtr(std::move(node));
    }
    case Token::Kind::kString: {
      std::string s;
      size_t pos = t.pos;
      while (peek().kind == Token::Kind::kString) s += advance().string;  // "a" "b" == "ab"
      return constant(Value(std::move(s)), pos);
    }
    case Token::Kind::kInteger:
      advance();
      return constant(Value(t.integer), t.pos);
    case Token::Kind::kFloat:
      advance();
      return constant(Value(t.number), t.pos);
    case Token::Kind::kOperator:
      if (t.text == "(") {
        advance();
        return sequence(")", t.pos, true);
      }
      if (t.text == "[") {
        advance();
        return sequence("]", t.pos, false);
      }
      if (t.text == "{") {
        advance();
        return dict(t.pos);
      }
      break;
    case Token::Kind::kEnd:
      break;
  }
  return source_.error(t.pos, "unexpected " + describe(t, terminator_));
}

// The rest of "(a, b)" or "[a, b]"; a parenthesized single expression
// without a comma is just that expression.
Result<NodePtr> ExpressionParser::sequence(std::string_view close, size_t pos, bool tuple) {
  auto list = make_node(Node::Kind::kList, pos);
  list->tuple = tuple;
  bool comma = false;
  while (!peek().is_op(close)) {
    if (!list->kids.empty()) {
      if (!skip_op(",")) return expected("',' or '" + std::string(close) + "'");
      comma = true;
      if (peek().is_op(close)) break;
    }
    auto item = expression();
    if (!item) return item;
    list->kids.push_back(std::move(*item));
  }
  advance();
  if (tuple && list->kids.size() == 1 && !comma) return std::move(list->kids[0]);
  if (auto r = measure(*list); !r) return r.error();
  return NodePtr(std::move(list));
}

Result<NodePtr> ExpressionParser::dict(size_t pos) {
  auto node = make_node(Node::Kind::kDict, pos);
  while (!peek().is_op("}")) {
    if (!node->kids.empty()) {
      if (!skip_op(",")) return expected("',' or '}'");
      if (peek().is_op("}")) break;
    }
    auto key = expression();
    if (!key) return key;
    if (!skip_op(":")) return expected("':' after a dict key");
    auto value = expression();
    if (!value) return value;
    node->kids.push_back(std::move(*key));
    node->kids.push_back(std::move(*value));
  }
  advance();
  if (auto r = measure(*node); !r) return r.error();
  return NodePtr(std::move(node));
}

Result<NodePtr> ExpressionParser::postfix(NodePtr node) {
  for (;;) {
    Result<NodePtr> next = NodePtr();
    if (peek().is_op(".") || peek().is_op("[")) {
      next = subscript(std::move(node));
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

Result<NodePtr> ExpressionParser::subscript(NodePtr node) {
  const Token& open = advance();
  if (open.text == ".") {
    const Token& t = advance();
    if (t.kind == Token::Kind::kInteger) {  // x.0 is x[0]
      auto item = make_node(Node::Kind::kItem, t.pos);
      item->kids.push_back(std::move(node));
      item->kids.push_back(constant(Value(t.integer), t.pos));
      return NodePtr(std::move(item));
    }
    if (t.kind != Token::Kind::kName) {
      return source_.error(t.pos, "expected an attribute name after '.', got " + describe(t, terminator_));
    }
    auto attr = make_node(Node::Kind::kAttribute, t.pos);
    attr->name = std::string(t.text);
    attr->kids.push_back(std::move(node));
    return NodePtr(std::move(attr));
  }
  // [key] or [start:stop:step]
  NodePtr parts[3];
  int part = 0;
  bool slice = false;
  while (!peek().is_op("]")) {
    if (skip_op(":")) {
      slice = true;
      if (++part > 2) return source_.error(tokens_[pos_ - 1].pos, "too many ':' in a slice");
      continue;
    }
    if (parts[part]) return expected("']'");
    auto e = expression();
    if (!e) return e;
    parts[part] = std::move(*e);
  }
  advance();
  if (!slice) {
    if (!parts[0]) return source_.error(open.pos, "empty subscript");
    auto item = make_node(Node::Kind::kItem, open.pos);
    item->kids.push_back(std::move(node));
    item->kids.push_back(std::move(parts[0]));
    return NodePtr(std::move(item));
  }
  auto s = make_node(Node::Kind::kSlice, open.pos);
  s->kids.push_back(std::move(node));
  for (auto& p : parts) s->kids.push_back(std::move(p));
  return NodePtr(std::move(s));
}

Result<NodePtr> parse_expression(std::string_view text, const Source& source) {
  auto lexed = lex(text, 0, Terminator::kEndOfText, source);
  if (!lexed) return lexed.error();
  ExpressionParser parser(lexed->tokens, source, Terminator::kEndOfText);
  if (parser.at_end()) return source.error(0, "empty expression");
  auto node = parser.expression();
  if (!node) return node;
  if (auto r = parser.expect_end(); !r) return r.error();
  return node;
}

}  // namespace fleetk8s::tmpl::detail
