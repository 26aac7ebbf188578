// What evaluating a sub-expression yields: a Value that is borrowed (from
// the scope or a constant in the parsed tree, so lookups copy nothing) or
// owned (computed), or Jinja's Undefined, which carries the message to
// report once something actually uses it.
#pragma once

#include <cstddef>
#include <string>
#include <memory>
#include <utility>

#include "fleetk8s/core/value.h"
#include "source.h"

namespace fleetk8s::tmpl::detail {

struct Undefined {
  std::string message;  // "'foo' is undefined", "'dict object' has no attribute 'x'"
  std::string name;     // the missing variable or attribute, for `mandatory`
  size_t pos = kNoPos;  // where it arose; kNoPos until the evaluator fills it in
  bool lenient = false; // Jinja's plain Undefined (an if-expression without else):
                        // prints as nothing and is false instead of failing
};

class Operand {
 public:
  Operand() = default;  // an owned None
  // These are out of line: inlined, GCC 12 reports false
  // -Wmaybe-uninitialized warnings for the Value inside an Operand.
  Operand(Operand&& other) noexcept;
  Operand& operator=(Operand&& other) noexcept;
  ~Operand();
  static Operand borrow(const Value& v) {
    Operand o;
    o.borrowed_ = &v;
    return o;
  }
  static Operand own(Value v);
  static Operand undefined(Undefined u);

  bool is_defined() const { return !undefined_; }

  // REQUIRES: is_defined().
  const Value& value() const { return borrowed_ ? *borrowed_ : owned_; }
  // The value, copied only when borrowed. REQUIRES: is_defined().
  Value take() && { return borrowed_ ? *borrowed_ : std::move(owned_); }
  // REQUIRES: !is_defined().
  const Undefined& undefined() const { return *undefined_; }
  Undefined& undefined() { return *undefined_; }

  // An operand for `part`, a Value inside this one: borrowed when this is
  // borrowed, otherwise moved out of this operand, which is consumed.
  // REQUIRES: is_defined() and `part` lies within value().
  Operand narrow_to(const Value& part) && {
    if (borrowed_) return borrow(part);
    // `part` lies in owned_, which this rvalue operand gives up.
    return own(std::move(const_cast<Value&>(part)));
  }

 private:
  Value owned_;
  const Value* borrowed_ = nullptr;
  std::unique_ptr<Undefined> undefined_;  // set: the operand is undefined
};

}  // namespace fleetk8s::tmpl::detail
