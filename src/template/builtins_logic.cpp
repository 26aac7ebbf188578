// Filters about definedness and choice: default (d), mandatory, ternary,
// type_debug.
#include "builtin_util.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {
namespace {

// Jinja's default(default_value='', boolean=False): the fallback for an
// undefined input, or with boolean=True also for a false one.
Result<Operand> default_(Call& c) {
  bool use_default = !c.input.is_defined();
  if (!use_default && c.args[1]) {
    if (!c.args[1]->is_defined()) return Error(ErrorKind::kInvalidInput, c.args[1]->undefined().message);
    use_default = truthy(c.args[1]->value()) && !truthy(c.input.value());
  }
  if (!use_default) return std::move(c.input);
  if (c.args[0]) return std::move(*c.args[0]);
  return own(Value(""));
}

Result<Operand> mandatory(Call& c) {
  if (c.input.is_defined()) return std::move(c.input);
  if (c.args[0]) {
    if (!c.args[0]->is_defined()) return std::move(*c.args[0]);
    return Error(ErrorKind::kInvalidInput, py_str(c.args[0]->value()));
  }
  const std::string& name = c.input.undefined().name;
  return Error(ErrorKind::kInvalidInput,
               "Mandatory variable " + (name.empty() ? std::string() : "'" + name + "' ") + "not defined.");
}

// Ansible's ternary(true_val, false_val, none_val=None). The branch not
// taken may be undefined.
Result<Operand> ternary(Call& c) {
  if (!c.input.is_defined()) return Error(ErrorKind::kInvalidInput, c.input.undefined().message);
  const Value& v = c.input.value();
  if (v.is_null() && c.args[2] && !(c.args[2]->is_defined() && c.args[2]->value().is_null())) {
    return std::move(*c.args[2]);
  }
  return std::move(*c.args[truthy(v) ? 0 : 1]);
}

Result<Operand> type_debug(Call& c) { return own(Value(py_type_name(c.input.value()))); }

}  // namespace

void register_logic_filters(Registry& r) {
  r.push_back({"default", {{"default_value", "boolean"}}, default_, nullptr, true});
  r.push_back({"d", {{"default_value", "boolean"}}, default_, nullptr, true});
  r.push_back({"mandatory", {{"msg"}}, mandatory, nullptr, true});
  r.push_back({"ternary", {{"true_val", "false_val", "none_val"}, 2}, ternary, nullptr, true});
  r.push_back({"type_debug", {}, type_debug});
}

}  // namespace fleetk8s::tmpl::detail
