// Where template text comes from and where its variables live. These are
// the two things every caller of the template engine hands it.
#pragma once

#include <string>
#include <string_view>

#include "fleetk8s/core/value.h"

namespace fleetk8s::tmpl {

// Where a template string came from, for error messages such as
// "playbooks/x.yml:14:9: unknown filter 'dfault'". Both numbers are 1-based
// and give the position of the string's first character; 0 means unknown.
// Positions inside the string are added to it: characters on the first line
// shift the column, later lines count from column 1.
struct Origin {
  std::string file;
  int line = 0;
  int column = 0;
};

// Variable lookup during evaluation. Implementations must be safe to call
// from several threads at once if templates are evaluated concurrently.
class Scope {
 public:
  virtual ~Scope() = default;
  // The variable's value, or nullptr when it is undefined. The pointer must
  // stay valid for as long as the evaluation that asked for it runs.
  virtual const Value* lookup(std::string_view name) const = 0;

  // Whether lookup_member() can give members of `name` one at a time, for a
  // variable, always defined, that is costly to build whole (hostvars: every
  // host's variables). Default: no such variable.
  virtual bool has_member_lookup(std::string_view /*name*/) const { return false; }
  // REQUIRES: has_member_lookup(name). `name[key]`, or nullptr when there is
  // no such member (the caller then subscripts lookup(name), which must give
  // the same answer). Same pointer validity as lookup().
  virtual const Value* lookup_member(std::string_view /*name*/, const std::string& /*key*/) const {
    return nullptr;
  }
};

// A Scope over the members of a Value::Object, falling back to `parent`
// (when given) for names it does not hold. The parent is borrowed and must
// outlive this scope. Not copyable: lookups hand out pointers into it.
class MapScope final : public Scope {
 public:
  // Owns `vars` (move them in to avoid a copy).
  explicit MapScope(Value::Object vars, const Scope* parent = nullptr);
  // Borrows `vars`, which must outlive the scope and not change under it.
  static MapScope borrowing(const Value::Object& vars, const Scope* parent = nullptr);

  MapScope(MapScope&& other) noexcept;
  MapScope& operator=(MapScope&&) = delete;
  MapScope(const MapScope&) = delete;
  MapScope& operator=(const MapScope&) = delete;

  const Value* lookup(std::string_view name) const override;
  bool has_member_lookup(std::string_view name) const override;
  const Value* lookup_member(std::string_view name, const std::string& key) const override;

 private:
  MapScope(const Value::Object* borrowed, const Scope* parent);

  Value::Object owned_;
  const Value::Object* vars_;  // &owned_ or the borrowed object
  const Scope* parent_;
};

}  // namespace fleetk8s::tmpl
