// A Jinja2 expression ("item.name | default('x') ~ '-' ~ idx"), parsed once
// and evaluated against any number of scopes, e.g. once per host.
#pragma once

#include <memory>
#include <string_view>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/template/scope.h"

namespace fleetk8s::tmpl {

namespace detail {
struct ParsedExpression;
}

// Immutable after parse; copies share the parsed tree, and eval() may run
// on several threads at once.
class Expression {
 public:
  // Parses the bare expression `text` (no braces). Errors (kInvalidInput)
  // read "FILE:LINE:COL: message" with the position of the offending token,
  // including unknown filters, tests and functions.
  static Result<Expression> parse(std::string_view text, const Origin& where);

  // Evaluates the expression. Using an undefined variable is an error
  // ("FILE:LINE:COL: 'name' is undefined") unless a default filter or an
  // `is defined` test handles it.
  Result<Value> eval(const Scope& scope) const;

  // Evaluates and applies Python truthiness, as `when:` does: empty strings,
  // lists and dicts, 0, None and False are false; the string "false" is true.
  Result<bool> eval_condition(const Scope& scope) const;

 private:
  explicit Expression(std::shared_ptr<const detail::ParsedExpression> parsed);

  std::shared_ptr<const detail::ParsedExpression> parsed_;
};

}  // namespace fleetk8s::tmpl
