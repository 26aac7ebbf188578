// A Jinja2 template: literal text with {{ expressions }}, {# comments #} and
// {% if %} / {% for %} / {% set %} / {% raw %} blocks. Used for every string
// in a playbook and for the files the `template` module renders.
#pragma once

#include <memory>
#include <string_view>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/template/scope.h"

namespace fleetk8s::tmpl {

namespace detail {
struct ParsedTemplate;
}

// How the text is read. The defaults are Ansible's for strings in
// playbooks; the `template` module turns escape_backslashes off and lets
// the task set trim_blocks and lstrip_blocks.
struct TemplateOptions {
  bool trim_blocks = true;     // drop the newline right after %} and #}
  bool lstrip_blocks = false;  // drop spaces and tabs before {% and {# on a line
  // Backslashes in string literals inside {{ }} are taken as written, so
  // regex_replace('(\w+)', '\1') sees \w and \1 however the YAML was
  // quoted (Ansible's escape_backslashes). Off: Python escapes apply
  // ('\n' is a newline), as in {% %} tags and in bare expressions.
  bool escape_backslashes = true;
};

// Immutable after parse; copies share the parsed tree, and render() may run
// on several threads at once.
class Template {
 public:
  // Parses `text`. Syntax errors, unknown tags, filters and tests are
  // errors (kInvalidInput) reading "FILE:LINE:COL: message".
  static Result<Template> parse(std::string_view text, const Origin& where,
                                const TemplateOptions& options = {});

  // Renders the template. When it is exactly one {{ expression }} and
  // nothing else, the expression's value is returned with its own type (a
  // list stays a list, None stays null, "42" stays a string); otherwise the
  // result is a string in which values print as Python's str() does
  // (True, ['a', 'b'], {'k': 1}) and None prints as nothing, as in Ansible.
  // Trailing newlines of the text are kept, as Ansible keeps them.
  Result<Value> render(const Scope& scope) const;

  // True when the text holds no expressions or blocks: render() returns it
  // unchanged (comments aside) whatever the scope.
  bool is_static() const;

 private:
  explicit Template(std::shared_ptr<const detail::ParsedTemplate> parsed);

  std::shared_ptr<const detail::ParsedTemplate> parsed_;
};

}  // namespace fleetk8s::tmpl
