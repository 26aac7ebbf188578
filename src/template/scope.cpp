#include "fleetk8s/template/scope.h"

#include <utility>

namespace fleetk8s::tmpl {

MapScope::MapScope(Value::Object vars, const Scope* parent)
    : owned_(std::move(vars)), vars_(&owned_), parent_(parent) {}

MapScope::MapScope(const Value::Object* borrowed, const Scope* parent)
    : vars_(borrowed), parent_(parent) {}

MapScope MapScope::borrowing(const Value::Object& vars, const Scope* parent) {
  return MapScope(&vars, parent);
}

MapScope::MapScope(MapScope&& other) noexcept
    : owned_(std::move(other.owned_)),
      vars_(other.vars_ == &other.owned_ ? &owned_ : other.vars_),
      parent_(other.parent_) {}

const Value* MapScope::lookup(std::string_view name) const {
  // Value::Object has no transparent comparator, so the key must be a
  // std::string; variable names fit its small-string buffer.
  auto it = vars_->find(std::string(name));
  if (it != vars_->end()) return &it->second;
  return parent_ ? parent_->lookup(name) : nullptr;
}

bool MapScope::has_member_lookup(std::string_view name) const {
  if (vars_->count(std::string(name))) return false;  // ours hides the parent's
  return parent_ && parent_->has_member_lookup(name);
}

const Value* MapScope::lookup_member(std::string_view name, const std::string& key) const {
  return parent_->lookup_member(name, key);
}

}  // namespace fleetk8s::tmpl
