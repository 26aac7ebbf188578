// The variables a task sees on one host, in Ansible's precedence, with
// Ansible's lazy templating: a variable whose value holds {{ }} is rendered
// when a template first uses it (against this same scope), so
// `url: "{{ base }}/x"` works wherever `base` is defined.
//
// Only variables the admin wrote are templates. What came from a host or
// was already rendered once (facts, registered results, set_fact values,
// loop items) is data, as Ansible's "unsafe" values are: a host that prints
// `{{ ansible_become_password }}` must never have it expanded.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/template/scope.h"

namespace fleetk8s::orchestrator {

class VarScope final : public tmpl::Scope {
 public:
  // Layers are searched highest precedence first. Layers are borrowed and
  // must outlive the scope.
  void add(const Value::Object* layer) { layers_.push_back({layer, false}); }
  // A layer of data: its strings are returned as they are, never rendered.
  void add_data(const Value::Object* layer) { layers_.push_back({layer, true}); }
  // A host's facts as ansible_* variables (data), which also answer
  // ansible_facts, made when asked (facts_object): one copy kept, not two.
  void add_facts(const Value::Object* facts_vars) { layers_.push_back({facts_vars, true, true}); }
  // A variable computed on demand (hostvars): `make` returns a borrowed
  // pointer valid while the scope lives.
  void add_dynamic(std::string name, std::function<const Value*()> make);
  // One member of the dynamic variable `name` at a time (hostvars[host]):
  // `member(key)` returns it, or nullptr when there is none.
  void add_dynamic_members(std::string name, std::function<const Value*(const std::string&)> member);

  const Value* lookup(std::string_view name) const override;
  bool has_member_lookup(std::string_view name) const override;
  const Value* lookup_member(std::string_view name, const std::string& key) const override;

  // The first error met while rendering a variable lazily (lookup() cannot
  // return one): callers check it after each evaluation. Clears it.
  std::optional<Error> take_error() const;

 private:
  struct Layer {
    const Value::Object* vars;
    bool data;
    bool facts = false;  // add_facts
  };
  std::vector<Layer> layers_;
  std::map<std::string, std::function<const Value*()>, std::less<>> dynamic_;
  std::map<std::string, std::function<const Value*(const std::string&)>, std::less<>> dynamic_members_;
  mutable std::map<std::string, Value, std::less<>> rendered_;
  mutable std::set<std::string, std::less<>> rendering_;
  mutable std::optional<Error> error_;
};

// True when a string inside `v` holds {{ or {%.
bool is_templated(const Value& v);

// ansible_facts made from a host's ansible_* facts: the same names without
// the prefix. Null when no facts were gathered.
Value facts_object(const Value::Object& facts_vars);

}  // namespace fleetk8s::orchestrator
