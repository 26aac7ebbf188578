// Evaluates expression trees against a Scope with Jinja's semantics as
// Ansible configures them: undefined values may be passed along (through
// attribute access, to `default` or `is defined`) but using one is an error.
#pragma once

#include "ast.h"
#include "fleetk8s/core/result.h"
#include "fleetk8s/template/scope.h"
#include "operand.h"
#include "source.h"

namespace fleetk8s::tmpl::detail {

// Cheap to construct: one per evaluation. Errors carry places from `source`.
class Evaluator {
 public:
  Evaluator(const Scope& scope, const Source& source) : scope_(scope), source_(source) {}

  // The node's operand, possibly undefined.
  Result<Operand> eval(const Node& node) const;
  // The node's value; undefined is an error.
  Result<Value> value(const Node& node) const;
  // Python truthiness of the node's value; undefined is an error.
  Result<bool> truth(const Node& node) const;
  Result<bool> truth(const Operand& operand) const;

  // The error for using `undefined`: "PLACE: 'foo' is undefined".
  Error undefined_error(const Undefined& undefined) const;

 private:
  Result<Operand> name(const Node& node) const;
  Result<Operand> attribute(const Node& node) const;
  Result<Operand> item(const Node& node) const;
  Result<Operand> slice(const Node& node) const;
  Result<Operand> list(const Node& node) const;
  Result<Operand> dict(const Node& node) const;
  Result<Operand> unary(const Node& node) const;
  Result<Operand> binary(const Node& node) const;
  Result<Operand> concat(const Node& node) const;
  Result<Operand> logical(const Node& node) const;
  Result<Operand> compare(const Node& node) const;
  Result<Operand> condition(const Node& node) const;
  Result<Operand> call(const Node& node) const;
  // An operand whose use must not be undefined: the undefined error, or ok.
  Result<void> require(const Operand& operand) const;

  const Scope& scope_;
  const Source& source_;
};

}  // namespace fleetk8s::tmpl::detail
