// Helpers for the template engine's tests: evaluate or render against a
// small fixed set of variables and get values, text or error messages.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "fleetk8s/core/value.h"
#include "fleetk8s/template/expression.h"
#include "fleetk8s/template/render.h"
#include "fleetk8s/template/template.h"

namespace tmpl_test {

using fleetk8s::Value;
namespace tmpl = fleetk8s::tmpl;

// Where test strings "come from": errors read "x.yml:14:9+offset: ...".
inline const tmpl::Origin kOrigin{"x.yml", 14, 9};

// A literal written as a Jinja expression: lit("{'a': [1, 2]}").
inline Value lit(const std::string& expr) {
  auto e = tmpl::Expression::parse(expr, {});
  if (!e) FAIL(e.error().message());
  tmpl::MapScope empty(Value::Object{});
  auto v = e->eval(empty);
  if (!v) FAIL(v.error().message());
  return *v;
}

// The variables most tests use.
inline const tmpl::Scope& vars() {
  static const tmpl::MapScope scope(lit(R"({
      'n': 5, 'zero': 0, 'pi': 3.14, 't': true, 'f': false, 'none': none, 'empty': '',
      's': 'hello', 'lst': ['a', 'b', 'c'], 'nums': [3, 1, 2], 'd': {'k': 1, 'n': {'x': 2}},
      'users': [{'name': 'alice', 'admin': true, 'uid': 1000},
                {'name': 'bob', 'admin': false, 'uid': 1001}],
      'kube_version': '1.27.3', 'false_string': 'false',
      'result': {'changed': true, 'rc': 0, 'stdout': 'ok'},
  })")
                                               .as_object());
  return scope;
}

// Evaluates a bare expression; FAILs on error.
inline Value eval(const std::string& expr, const tmpl::Scope& scope = vars()) {
  auto e = tmpl::Expression::parse(expr, kOrigin);
  if (!e) FAIL(e.error().message());
  auto v = e->eval(scope);
  if (!v) FAIL(v.error().message());
  return *v;
}

// The error message of parsing or evaluating a bare expression.
inline std::string eval_error(const std::string& expr, const tmpl::Scope& scope = vars()) {
  auto e = tmpl::Expression::parse(expr, kOrigin);
  if (!e) {
    CHECK(e.error().kind() == fleetk8s::ErrorKind::kInvalidInput);
    return e.error().message();
  }
  auto v = e->eval(scope);
  if (v) FAIL("expected an error, got " << v->to_json());
  CHECK(v.error().kind() == fleetk8s::ErrorKind::kInvalidInput);
  return v.error().message();
}

// Renders a template string (native result for a lone {{ expr }}).
inline Value render(const std::string& text, const tmpl::Scope& scope = vars(),
                    const tmpl::TemplateOptions& options = {}) {
  auto t = tmpl::Template::parse(text, kOrigin, options);
  if (!t) FAIL(t.error().message());
  auto v = t->render(scope);
  if (!v) FAIL(v.error().message());
  return *v;
}

// Renders and requires a string result.
inline std::string text(const std::string& text, const tmpl::Scope& scope = vars(),
                        const tmpl::TemplateOptions& options = {}) {
  Value v = render(text, scope, options);
  if (!v.is_string()) FAIL("expected a string, got " << v.to_json());
  return v.as_string();
}

// The error message of parsing or rendering a template.
inline std::string render_error(const std::string& text, const tmpl::Scope& scope = vars(),
                                const tmpl::TemplateOptions& options = {}) {
  auto t = tmpl::Template::parse(text, kOrigin, options);
  if (!t) {
    CHECK(t.error().kind() == fleetk8s::ErrorKind::kInvalidInput);
    return t.error().message();
  }
  auto v = t->render(scope);
  if (v) FAIL("expected an error, got " << v->to_json());
  CHECK(v.error().kind() == fleetk8s::ErrorKind::kInvalidInput);
  return v.error().message();
}

}  // namespace tmpl_test
