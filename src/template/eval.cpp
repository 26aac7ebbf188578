#include "eval.h"

#include <limits>
#include <optional>
#include <utility>

#include "access.h"
#include "builtins.h"
#include "python_repr.h"

namespace fleetk8s::tmpl::detail {

Error Evaluator::undefined_error(const Undefined& undefined) const {
  return source_.error(undefined.pos, undefined.message);
}

Result<void> Evaluator::require(const Operand& operand) const {
  if (operand.is_defined()) return {};
  return undefined_error(operand.undefined());
}

Result<Operand> Evaluator::eval(const Node& node) const {
  switch (node.kind) {
    case Node::Kind::kConstant: return Operand::borrow(node.constant);
    case Node::Kind::kName: return name(node);
    case Node::Kind::kAttribute: return attribute(node);
    case Node::Kind::kItem: return item(node);
    case Node::Kind::kSlice: return slice(node);
    case Node::Kind::kList: return list(node);
    case Node::Kind::kDict: return dict(node);
    case Node::Kind::kNegate:
    case Node::Kind::kPlus: return unary(node);
    case Node::Kind::kNot: {
      auto t = truth(*node.kids[0]);
      if (!t) return t.error();
      return Operand::own(Value(!*t));
    }
    case Node::Kind::kBinary: return binary(node);
    case Node::Kind::kConcat: return concat(node);
    case Node::Kind::kAnd:
    case Node::Kind::kOr: return logical(node);
    case Node::Kind::kCompare: return compare(node);
    case Node::Kind::kIf: return condition(node);
    case Node::Kind::kFilter:
    case Node::Kind::kTest:
    case Node::Kind::kFunction:
    case Node::Kind::kMethod: return call(node);
  }
  return source_.error(node.pos, "internal error: unknown node");
}

Result<Value> Evaluator::value(const Node& node) const {
  auto operand = eval(node);
  if (!operand) return operand.error();
  if (auto r = require(*operand); !r) return r.error();
  return std::move(*operand).take();
}

Result<bool> Evaluator::truth(const Node& node) const {
  auto operand = eval(node);
  if (!operand) return operand.error();
  return truth(*operand);
}

Result<bool> Evaluator::truth(const Operand& operand) const {
  if (!operand.is_defined()) {
    if (operand.undefined().lenient) return false;
    return undefined_error(operand.undefined());
  }
  return truthy(operand.value());
}

Result<Operand> Evaluator::name(const Node& node) const {
  if (const Value* v = scope_.lookup(node.name)) return Operand::borrow(*v);
  return Operand::undefined({"'" + node.name + "' is undefined", node.name, node.pos});
}

Result<Operand> Evaluator::attribute(const Node& node) const {
  const Node& of = *node.kids[0];
  if (of.kind == Node::Kind::kName && scope_.has_member_lookup(of.name)) {
    if (const Value* member = scope_.lookup_member(of.name, node.name)) return Operand::borrow(*member);
  }
  auto base = eval(*node.kids[0]);
  if (!base) return base;
  Operand result = get_attribute(std::move(*base), node.name);
  if (!result.is_defined() && result.undefined().pos == kNoPos) result.undefined().pos = node.pos;
  return result;
}

Result<Operand> Evaluator::item(const Node& node) const {
  const Node& of = *node.kids[0];
  if (of.kind == Node::Kind::kName && scope_.has_member_lookup(of.name)) {
    // hostvars[host]: that one member, without building the whole variable
    // (which is always defined: the order of evaluation does not show).
    auto key = eval(*node.kids[1]);
    if (!key) return key;
    if (auto r = require(*key); !r) return r.error();
    if (key->value().is_string()) {
      if (const Value* member = scope_.lookup_member(of.name, key->value().as_string())) return Operand::borrow(*member);
    }
    auto base = eval(of);
    if (!base) return base;
    Operand result = get_item(std::move(*base), key->value());
    if (!result.is_defined() && result.undefined().pos == kNoPos) result.undefined().pos = node.pos;
    return result;
  }
  auto base = eval(*node.kids[0]);
  if (!base) return base;
  if (!base->is_defined()) return base;
  auto key = eval(*node.kids[1]);
  if (!key) return key;
  if (auto r = require(*key); !r) return r.error();
  Operand result = get_item(std::move(*base), key->value());
  if (!result.is_defined() && result.undefined().pos == kNoPos) result.undefined().pos = node.pos;
  return result;
}

Result<Operand> Evaluator::slice(const Node& node) const {
  auto base = value(*node.kids[0]);
  if (!base) return base.error();
  std::optional<std::int64_t> bounds[3];
  for (size_t i = 0; i < 3; ++i) {
    const NodePtr& part = node.kids[i + 1];
    if (!part) continue;
    auto v = value(*part);
    if (!v) return v.error();
    if (v->is_null()) continue;
    if (!v->is_int()) return source_.error(part->pos, "slice indices must be integers or None");
    bounds[i] = v->as_int();
  }
  auto sliced = get_slice(*base, bounds[0], bounds[1], bounds[2]);
  if (!sliced) return source_.error(node.pos, sliced.error().message());
  return Operand::own(std::move(*sliced));
}

Result<Operand> Evaluator::list(const Node& node) const {
  Value::Array items;
  items.reserve(node.kids.size());
  for (const auto& kid : node.kids) {
    auto v = value(*kid);
    if (!v) return v.error();
    items.push_back(std::move(*v));
  }
  return Operand::own(Value(std::move(items)));
}

Result<Operand> Evaluator::dict(const Node& node) const {
  Value::Object members;
  for (size_t i = 0; i + 1 < node.kids.size(); i += 2) {
    auto key = value(*node.kids[i]);
    if (!key) return key.error();
    if (key->is_array() || key->is_object()) {
      return source_.error(node.kids[i]->pos, std::string("unhashable type: '") + py_type_name(*key) + "'");
    }
    auto member = value(*node.kids[i + 1]);
    if (!member) return member.error();
    // Value objects have string keys: other keys become their str().
    members[key->is_string() ? key->as_string() : py_str(*key)] = std::move(*member);
  }
  return Operand::own(Value(std::move(members)));
}

Result<Operand> Evaluator::unary(const Node& node) const {
  auto v = value(*node.kids[0]);
  if (!v) return v.error();
  bool negate = node.kind == Node::Kind::kNegate;
  if (v->is_bool()) return Operand::own(Value(std::int64_t{negate ? -(v->as_bool() ? 1 : 0) : (v->as_bool() ? 1 : 0)}));
  if (v->is_int()) {
    if (!negate) return Operand::own(std::move(*v));
    if (v->as_int() == std::numeric_limits<std::int64_t>::min()) return source_.error(node.pos, "integer overflow");
    return Operand::own(Value(-v->as_int()));
  }
  if (v->is_double()) return Operand::own(Value(negate ? -v->as_double() : v->as_double()));
  std::string message = negate ? "bad operand type for unary -: '" : "bad operand type for unary +: '";
  message += py_type_name(*v);
  message += '\'';
  return source_.error(node.pos, message);
}

Result<Operand> Evaluator::binary(const Node& node) const {
  auto left = eval(*node.kids[0]);
  if (!left) return left;
  if (auto r = require(*left); !r) return r.error();
  auto right = eval(*node.kids[1]);
  if (!right) return right;
  if (auto r = require(*right); !r) return r.error();
  const Value& a = left->value();
  const Value& b = right->value();
  if (node.binary_op == BinaryOp::kMod && a.is_string()) {
    // "%s-%s" % (x, y): a tuple literal gives the arguments, anything else is one.
    std::vector<const Value*> args;
    const Node& rhs = *node.kids[1];
    if (rhs.kind == Node::Kind::kList && rhs.tuple && b.is_array()) {
      for (const auto& item : b.as_array()) args.push_back(&item);
    } else {
      args.push_back(&b);
    }
    auto text = py_format(a.as_string(), args, b.is_object() ? &b : nullptr);
    if (!text) return source_.error(node.pos, text.error().message());
    return Operand::own(Value(std::move(*text)));
  }
  auto result = arithmetic(node.binary_op, a, b);
  if (!result) return source_.error(node.pos, result.error().message());
  return Operand::own(std::move(*result));
}

Result<Operand> Evaluator::concat(const Node& node) const {
  auto left = value(*node.kids[0]);
  if (!left) return left.error();
  auto right = value(*node.kids[1]);
  if (!right) return right.error();
  return Operand::own(Value(py_str(*left) + py_str(*right)));
}

// Python's `and` / `or` return one of their operands, not a bool.
Result<Operand> Evaluator::logical(const Node& node) const {
  auto left = eval(*node.kids[0]);
  if (!left) return left;
  auto t = truth(*left);
  if (!t) return t.error();
  bool is_or = node.kind == Node::Kind::kOr;
  if (*t == is_or) return left;
  return eval(*node.kids[1]);
}

Result<Operand> Evaluator::compare(const Node& node) const {
  auto left = value(*node.kids[0]);
  if (!left) return left.error();
  Value a = std::move(*left);
  for (size_t i = 0; i < node.compare_ops.size(); ++i) {
    const Node& kid = *node.kids[i + 1];
    auto right = value(kid);
    if (!right) return right.error();
    CompareOp op = node.compare_ops[i];
    bool holds = false;
    if (op == CompareOp::kEq || op == CompareOp::kNe) {
      holds = py_equal(a, *right) == (op == CompareOp::kEq);
    } else if (op == CompareOp::kIn || op == CompareOp::kNotIn) {
      auto in = py_contains(*right, a);
      if (!in) return source_.error(kid.pos, in.error().message());
      holds = *in == (op == CompareOp::kIn);
    } else {
      const char* symbol = op == CompareOp::kLt ? "<" : op == CompareOp::kLe ? "<=" : op == CompareOp::kGt ? ">" : ">=";
      auto c = py_compare(a, *right, symbol);
      if (!c) return source_.error(node.pos, c.error().message());
      holds = op == CompareOp::kLt ? *c < 0 : op == CompareOp::kLe ? *c <= 0 : op == CompareOp::kGt ? *c > 0 : *c >= 0;
    }
    if (!holds) return Operand::own(Value(false));
    a = std::move(*right);
  }
  return Operand::own(Value(true));
}

Result<Operand> Evaluator::condition(const Node& node) const {
  auto t = truth(*node.kids[0]);
  if (!t) return t.error();
  if (*t) return eval(*node.kids[1]);
  if (node.kids[2]) return eval(*node.kids[2]);
  // Jinja's plain Undefined, not the strict one: prints as nothing.
  Undefined u{"the inline if-expression evaluated to false and no else section was defined", "", node.pos};
  u.lenient = true;
  return Operand::undefined(std::move(u));
}

Result<Operand> Evaluator::call(const Node& node) const {
  const Builtin& builtin = *node.builtin;
  Call c;
  c.name = node.name;
  switch (node.kind) {
    case Node::Kind::kFilter: c.kind = "filter"; break;
    case Node::Kind::kTest: c.kind = "test"; break;
    case Node::Kind::kFunction: c.kind = "function"; break;
    default: c.kind = "method"; break;
  }
  if (!node.kids.empty()) {
    auto input = eval(*node.kids[0]);
    if (!input) return input;
    c.input = std::move(*input);
    if (!builtin.accepts_undefined) {
      if (auto r = require(c.input); !r) return r.error();
    }
  }
  c.args.reserve(node.args.size());
  for (const auto& arg : node.args) {
    if (!arg) {
      c.args.emplace_back();
      continue;
    }
    auto v = eval(*arg);
    if (!v) return v;
    if (!builtin.accepts_undefined) {
      if (auto r = require(*v); !r) return r.error();
    }
    c.args.emplace_back(std::move(*v));
  }
  for (const auto& arg : node.rest) {
    auto v = eval(*arg);
    if (!v) return v;
    if (auto r = require(*v); !r) return r.error();
    c.rest.push_back(std::move(*v));
  }
  if (node.kind == Node::Kind::kTest) {
    auto holds = builtin.test(c);
    if (!holds) return source_.error(node.pos, holds.error().message());
    return Operand::own(Value(*holds != node.negated));
  }
  auto result = builtin.fn(c);
  if (!result) return source_.error(node.pos, result.error().message());
  if (!result->is_defined() && result->undefined().pos == kNoPos) result->undefined().pos = node.pos;
  return result;
}

}  // namespace fleetk8s::tmpl::detail
