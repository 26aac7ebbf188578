// Executes parsed template statements against a scope: the output text,
// or the native value of a template that is one {{ expression }}.
#pragma once

#include "ast.h"
#include "fleetk8s/core/result.h"
#include "fleetk8s/template/scope.h"

namespace fleetk8s::tmpl::detail {

Result<Value> render_template(const ParsedTemplate& parsed, const Scope& scope);

// How a value prints inside a larger string: str(), with None as nothing
// (Ansible's finalize).
std::string output_text(const Value& v);

}  // namespace fleetk8s::tmpl::detail
