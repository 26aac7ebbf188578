#include "var_scope.h"

#include "fleetk8s/template/render.h"

namespace fleetk8s::orchestrator {

bool is_templated(const Value& v) {
  switch (v.type()) {
    case Value::Type::kString: {
      const auto& s = v.as_string();
      return s.find("{{") != std::string::npos || s.find("{%") != std::string::npos;
    }
    case Value::Type::kArray:
      for (const auto& e : v.as_array())
        if (is_templated(e)) return true;
      return false;
    case Value::Type::kObject:
      for (const auto& [k, e] : v.as_object())
        if (is_templated(e)) return true;
      return false;
    default:
      return false;
  }
}

void VarScope::add_dynamic(std::string name, std::function<const Value*()> make) {
  dynamic_.emplace(std::move(name), std::move(make));
}

void VarScope::add_dynamic_members(std::string name, std::function<const Value*(const std::string&)> member) {
  dynamic_members_.emplace(std::move(name), std::move(member));
}

bool VarScope::has_member_lookup(std::string_view name) const {
  if (!dynamic_members_.count(name) || rendered_.count(name)) return false;
  for (const auto& layer : layers_)  // a variable of that name hides the dynamic one
    if (layer.vars->count(std::string(name))) return false;
  return true;
}

const Value* VarScope::lookup_member(std::string_view name, const std::string& key) const {
  return dynamic_members_.find(name)->second(key);
}

Value facts_object(const Value::Object& facts_vars) {
  if (facts_vars.empty()) return Value();
  constexpr std::string_view kPrefix = "ansible_";
  Value::Object facts;
  for (const auto& [k, v] : facts_vars)
    if (k.compare(0, kPrefix.size(), kPrefix) == 0) facts.emplace_hint(facts.end(), k.substr(kPrefix.size()), v);
  return Value(std::move(facts));
}

const Value* VarScope::lookup(std::string_view name) const {
  if (auto it = rendered_.find(name); it != rendered_.end()) return &it->second;
  const Value* found = nullptr;
  bool data = false;
  for (const auto& layer : layers_) {
    if (layer.facts && name == "ansible_facts" && !layer.vars->empty()) {
      // Made once per scope (a task on a host), kept with the rendered ones.
      return &rendered_.emplace(std::string(name), facts_object(*layer.vars)).first->second;
    }
    if (auto it = layer.vars->find(std::string(name)); it != layer.vars->end()) {
      found = &it->second;
      data = layer.data;
      break;
    }
  }
  if (!found) {
    if (auto it = dynamic_.find(name); it != dynamic_.end()) return it->second();
    return nullptr;
  }
  if (data || !is_templated(*found)) return found;
  // Lazy templating; a variable that refers to itself is undefined inside
  // its own definition (Ansible reports a recursive loop).
  if (rendering_.count(name)) {
    if (!error_) error_ = Error(ErrorKind::kInvalidInput, "recursive loop detected in template for '" + std::string(name) + "'");
    return nullptr;
  }
  rendering_.emplace(name);
  auto value = tmpl::render_value(*found, *this, tmpl::Origin{});
  rendering_.erase(std::string(name));
  if (!value) {
    if (!error_) error_ = value.error().context("in variable '" + std::string(name) + "'");
    return nullptr;
  }
  return &rendered_.emplace(std::string(name), std::move(*value)).first->second;
}

std::optional<Error> VarScope::take_error() const {
  auto e = std::move(error_);
  error_.reset();
  return e;
}

}  // namespace fleetk8s::orchestrator
