#include "fleetk8s/template/render.h"

#include <utility>

#include "fleetk8s/template/expression.h"
#include "fleetk8s/template/template.h"
#include "fleetk8s/template/value_template.h"
#include "template_parser.h"
#include "value_ops.h"

namespace fleetk8s::tmpl {
Result<Value> render(std::string_view text, const Scope& scope, const Origin& where) {
  if (!detail::has_template_markers(text)) return Value(std::string(text));
  auto t = Template::parse(text, where);
  if (!t) return t.error();
  return t->render(scope);
}

Result<Value> render_value(const Value& v, const Scope& scope, const Origin& where) {
  auto t = ValueTemplate::parse(v, where);
  if (!t) return t.error();
  return t->render(scope);
}

Result<bool> eval_condition(std::string_view expr, const Scope& scope, const Origin& where) {
  std::string text(expr);
  if (detail::has_template_markers(text)) {
    // Ansible templates the conditional first; a non-string result is the answer.
    auto rendered = render(text, scope, where);
    if (!rendered) return rendered.error();
    if (!rendered->is_string()) return is_truthy(*rendered);
    text = rendered->as_string();
    if (text.empty()) return false;
  }
  auto e = Expression::parse(text, where);
  if (!e) return e.error();
  return e->eval_condition(scope);
}

bool is_truthy(const Value& v) { return detail::truthy(v); }

}  // namespace fleetk8s::tmpl
