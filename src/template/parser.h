// A recursive-descent parser for Jinja2 expressions with Jinja's grammar
// and precedence (jinja2/parser.py), lowest first:
//   a if c else b  /  or  /  and  /  not  /  == != < <= > >= in, not in
//   + -  /  ~  /  * / // %  /  **  /  unary - +  /  | filter, is test
//   /  .attr [key] [a:b] call()  /  literals, names, (a, b), [..], {..}
// Filters, tests, functions and methods are resolved while parsing, so an
// unknown name is a parse error with its place.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ast.h"
#include "fleetk8s/core/result.h"
#include "lexer.h"
#include "source.h"

namespace fleetk8s::tmpl::detail {

class ExpressionParser {
 public:
  // `tokens` must end with a kEnd token and outlive the parser.
  ExpressionParser(const std::vector<Token>& tokens, const Source& source, Terminator terminator);

  // A full expression, including `a if c else b`.
  Result<NodePtr> expression();
  // One expression, or several separated by commas (a tuple), as {% set %}
  // and {% for %} take them. Without `with_condition` the if-else form is
  // not parsed: a for loop's `if` starts its filter.
  Result<NodePtr> tuple(bool with_condition);

  const Token& peek() const { return tokens_[pos_]; }
  const Token& advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool at_end() const { return peek().kind == Token::Kind::kEnd; }
  bool skip_op(std::string_view op);
  bool skip_name(std::string_view name);

  // "expected WHAT, got TOKEN" at the current token.
  Error expected(const std::string& what) const;
  // Fails unless every token has been used.
  Result<void> expect_end();

 private:
  struct RawArgs {  // a call's arguments before binding
    std::vector<NodePtr> positional;
    std::vector<std::pair<std::string, NodePtr>> keywords;
  };

  Result<NodePtr> condition();
  Result<NodePtr> or_expr();
  Result<NodePtr> and_expr();
  Result<NodePtr> not_expr();
  Result<NodePtr> compare();
  Result<NodePtr> math1();
  Result<NodePtr> concat();
  Result<NodePtr> math2();
  Result<NodePtr> power();
  Result<NodePtr> unary(bool with_filter);
  Result<NodePtr> unary_unbounded(bool with_filter);
  Result<NodePtr> primary();
  Result<NodePtr> postfix(NodePtr node);
  Result<NodePtr> filters_and_tests(NodePtr node);
  Result<NodePtr> filter(NodePtr node);
  Result<NodePtr> test(NodePtr node);
  Result<NodePtr> subscript(NodePtr node);
  Result<NodePtr> call(NodePtr callee);
  Result<NodePtr> sequence(std::string_view close, size_t pos, bool tuple);
  Result<NodePtr> dict(size_t pos);
  Result<RawArgs> call_args();
  Result<std::string> dotted_name();
  Result<void> bind_args(Node& node, RawArgs args, const std::string& callee);
  Result<void> check_named_builtins(const Node& node);

  // Hostile input must not exhaust the stack: the parser's own recursion
  // (nested brackets, `not not ...`, `a if b else c if d else ...`) and the
  // height of the tree it builds (long chains `a + b + ...`, `x.a.b...`,
  // `x | f | g ...`, which evaluation and destruction walk recursively) are
  // both held under kMaxDepth, where Python's own parser gives up too.
  static constexpr int kMaxDepth = 200;

  // Runs `parse` one level deeper, or fails at the limit.
  template <class F>
  Result<NodePtr> nested(F parse) {
    if (depth_ >= kMaxDepth) return too_deep(peek().pos);
    ++depth_;
    Result<NodePtr> node = parse();
    --depth_;
    return node;
  }
  // Sets a new node's height from its children's; fails when too tall.
  Result<void> measure(Node& node) const;
  Error too_deep(size_t pos) const;

  const std::vector<Token>& tokens_;
  const Source& source_;
  Terminator terminator_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// Parses all of `text` as one bare expression.
Result<NodePtr> parse_expression(std::string_view text, const Source& source);

}  // namespace fleetk8s::tmpl::detail
