#include "operand.h"

namespace fleetk8s::tmpl::detail {

Operand::Operand(Operand&& other) noexcept
    : owned_(std::move(other.owned_)), borrowed_(other.borrowed_), undefined_(std::move(other.undefined_)) {}

Operand& Operand::operator=(Operand&& other) noexcept {
  owned_ = std::move(other.owned_);
  borrowed_ = other.borrowed_;
  undefined_ = std::move(other.undefined_);
  return *this;
}

Operand::~Operand() = default;

Operand Operand::own(Value v) {
  Operand o;
  o.owned_ = std::move(v);
  return o;
}

Operand Operand::undefined(Undefined u) {
  Operand o;
  o.undefined_ = std::make_unique<Undefined>(std::move(u));
  return o;
}

}  // namespace fleetk8s::tmpl::detail
