#include "fleetk8s/template/expression.h"

#include <utility>

#include "ast.h"
#include "eval.h"
#include "parser.h"

namespace fleetk8s::tmpl {

Expression::Expression(std::shared_ptr<const detail::ParsedExpression> parsed) : parsed_(std::move(parsed)) {}

Result<Expression> Expression::parse(std::string_view text, const Origin& where) {
  auto parsed = std::make_shared<detail::ParsedExpression>(detail::ParsedExpression{detail::Source(text, where), nullptr});
  auto root = detail::parse_expression(text, parsed->source);
  if (!root) return root.error();
  parsed->root = std::move(*root);
  return Expression(std::move(parsed));
}

Result<Value> Expression::eval(const Scope& scope) const {
  detail::Evaluator ev(scope, parsed_->source);
  auto v = ev.eval(*parsed_->root);
  if (!v) return v.error();
  if (!v->is_defined()) {
    if (v->undefined().lenient) return Value();  // `a if false`: nothing
    return ev.undefined_error(v->undefined());
  }
  return std::move(*v).take();
}

Result<bool> Expression::eval_condition(const Scope& scope) const {
  return detail::Evaluator(scope, parsed_->source).truth(*parsed_->root);
}

}  // namespace fleetk8s::tmpl
