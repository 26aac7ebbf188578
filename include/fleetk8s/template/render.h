// One-shot conveniences over Template and Expression, for callers that do
// not keep parsed templates around. Each call parses its text again.
#pragma once

#include <string_view>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/template/scope.h"

namespace fleetk8s::tmpl {

// Renders `text` as Template::render() does: a lone "{{ expr }}" keeps the
// expression's type, anything else becomes a string. Text without template
// markers comes back unchanged without being parsed.
Result<Value> render(std::string_view text, const Scope& scope, const Origin& where);

// Renders every string inside `v` as ValueTemplate does (list items, dict
// values; not dict keys, as Ansible). Errors in nested strings name their
// path ("env.PATH: ...") and carry `where` itself as their position.
Result<Value> render_value(const Value& v, const Scope& scope, const Origin& where);

// Evaluates a bare conditional (when / changed_when / failed_when / until)
// to its Python truthiness, as Ansible's `{% if EXPR %}` does: the string
// "false" is true, an undefined variable is an error. Text holding {{ }} is
// rendered first, as Ansible does; a resulting non-string is judged by its
// truthiness, a resulting string is evaluated as an expression.
Result<bool> eval_condition(std::string_view expr, const Scope& scope, const Origin& where);

// Python truthiness of a value.
bool is_truthy(const Value& v);

}  // namespace fleetk8s::tmpl
