// A Value whose strings are templates (a task's arguments: lists and dicts
// of strings with {{ }}), parsed once and rendered per host.
#pragma once

#include <memory>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/template/scope.h"
#include "fleetk8s/template/template.h"

namespace fleetk8s::tmpl {

namespace detail {
struct ValueTree;
}

// Immutable after parse; copies share the parsed tree, and render() may run
// on several threads at once.
class ValueTemplate {
 public:
  // Parses every string inside `v` (list items, dict values; dict keys are
  // not templates, as in Ansible). A top-level string keeps exact error
  // places; nested ones carry `where` itself and name their path
  // ("x.yml:14:9: env.PATH: unknown filter 'nope'").
  static Result<ValueTemplate> parse(const Value& v, const Origin& where, const TemplateOptions& options = {});

  // The value with every template rendered as Template::render() does (a
  // string that is one {{ expression }} takes the expression's type).
  Result<Value> render(const Scope& scope) const;

  // True when no string inside holds a template: render() returns the
  // value as it was parsed.
  bool is_static() const;

 private:
  explicit ValueTemplate(std::shared_ptr<const detail::ValueTree> tree);

  std::shared_ptr<const detail::ValueTree> tree_;
};

}  // namespace fleetk8s::tmpl
