// The template engine: the first byte picks how the rest is read (a
// template with Ansible's playbook options, one with the template module's,
// or a bare expression as `when:` takes it); what parses is rendered
// against a few variables of every type.
#include "fleetk8s/template/expression.h"
#include "fleetk8s/template/scope.h"
#include "fleetk8s/template/template.h"
#include "fuzz_input.h"

namespace tmpl = fleetk8s::tmpl;
using fleetk8s::Value;

namespace {

const tmpl::Scope& scope() {
  static const tmpl::MapScope vars(Value::Object{
      {"n", Value(5)},
      {"pi", Value(3.14)},
      {"t", Value(true)},
      {"none", Value()},
      {"s", Value("Hello, World")},
      {"lst", Value(Value::Array{Value("a"), Value(2), Value(Value::Array{Value(1.5)})})},
      {"d", Value(Value::Object{{"k", Value(1)}, {"n", Value(Value::Object{{"x", Value("2")}})}})},
      {"version", Value("1.27.3")},
      {"lines", Value("a=1\nb: 2\n# c\n")},
  });
  return vars;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text = fleetk8s_fuzz::text(data + 1, size - 1);
  const tmpl::Origin where{"fuzz.j2", 1, 1};
  switch (data[0] % 3) {
    case 0: {
      auto t = tmpl::Template::parse(text, where);
      if (t.ok()) (void)t->render(scope());
      break;
    }
    case 1: {
      tmpl::TemplateOptions file;  // as the template module reads a file
      file.escape_backslashes = false;
      file.lstrip_blocks = true;
      auto t = tmpl::Template::parse(text, where, file);
      if (t.ok()) (void)t->render(scope());
      break;
    }
    default: {
      auto e = tmpl::Expression::parse(text, where);
      if (e.ok()) (void)e->eval_condition(scope());
      break;
    }
  }
  return 0;
}
