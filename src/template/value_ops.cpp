#include "value_ops.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "python_repr.h"

namespace fleetk8s::tmpl::detail {
namespace {

// Numbers as Python sees them: bools are ints.
bool is_numeric(const Value& v) { return v.is_number() || v.is_bool(); }
bool is_integral(const Value& v) { return v.is_int() || v.is_bool(); }
std::int64_t int_of(const Value& v) { return v.is_bool() ? (v.as_bool() ? 1 : 0) : v.as_int(); }
double float_of(const Value& v) { return v.is_bool() ? (v.as_bool() ? 1.0 : 0.0) : v.as_double(); }

Error type_error(const std::string& message) { return Error(ErrorKind::kInvalidInput, message); }

Error unsupported(BinaryOp op, const Value& a, const Value& b) {
  if (op == BinaryOp::kAdd && a.is_string()) {
    return type_error(std::string("can only concatenate str (not \"") + py_type_name(b) + "\") to str");
  }
  if (op == BinaryOp::kAdd && a.is_array()) {
    return type_error(std::string("can only concatenate list (not \"") + py_type_name(b) + "\") to list");
  }
  return type_error(std::string("unsupported operand type(s) for ") + op_symbol(op) + ": '" + py_type_name(a) +
                    "' and '" + py_type_name(b) + "'");
}

Error overflow() { return type_error("integer overflow (values beyond 64 bits are not supported)"); }

Result<Value> integer_pow(std::int64_t base, std::int64_t exp) {
  if (exp < 0) {
    if (base == 0) return type_error("0.0 cannot be raised to a negative power");
    return Value(std::pow(static_cast<double>(base), static_cast<double>(exp)));
  }
  std::int64_t result = 1;
  while (exp > 0) {
    if (exp & 1) {
      if (__builtin_mul_overflow(result, base, &result)) return overflow();
    }
    exp >>= 1;
    if (exp > 0 && __builtin_mul_overflow(base, base, &base)) return overflow();
  }
  return Value(result);
}

Result<Value> integer_op(BinaryOp op, std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  switch (op) {
    case BinaryOp::kAdd:
      if (__builtin_add_overflow(a, b, &r)) return overflow();
      return Value(r);
    case BinaryOp::kSub:
      if (__builtin_sub_overflow(a, b, &r)) return overflow();
      return Value(r);
    case BinaryOp::kMul:
      if (__builtin_mul_overflow(a, b, &r)) return overflow();
      return Value(r);
    case BinaryOp::kDiv:
      if (b == 0) return type_error("division by zero");
      return Value(static_cast<double>(a) / static_cast<double>(b));
    case BinaryOp::kFloorDiv:
    case BinaryOp::kMod: {
      if (b == 0) return type_error("integer division or modulo by zero");
      if (a == std::numeric_limits<std::int64_t>::min() && b == -1) {
        if (op == BinaryOp::kMod) return Value(std::int64_t{0});
        return overflow();
      }
      std::int64_t q = a / b, m = a % b;
      if (m != 0 && ((m < 0) != (b < 0))) {
        --q;
        m += b;
      }
      return Value(op == BinaryOp::kMod ? m : q);
    }
    case BinaryOp::kPow:
      return integer_pow(a, b);
  }
  return overflow();
}

Result<Value> float_op(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::kAdd: return Value(a + b);
    case BinaryOp::kSub: return Value(a - b);
    case BinaryOp::kMul: return Value(a * b);
    case BinaryOp::kDiv:
      if (b == 0) return type_error("float division by zero");
      return Value(a / b);
    case BinaryOp::kFloorDiv:
      if (b == 0) return type_error("float floor division by zero");
      return Value(std::floor(a / b));
    case BinaryOp::kMod: {
      if (b == 0) return type_error("float modulo");
      double m = std::fmod(a, b);
      if (m != 0 && ((m < 0) != (b < 0))) m += b;
      return Value(m);
    }
    case BinaryOp::kPow:
      if (a == 0 && b < 0) return type_error("0.0 cannot be raised to a negative power");
      if (a < 0 && b != std::floor(b)) {
        return type_error("negative number cannot be raised to a fractional power");
      }
      return Value(std::pow(a, b));
  }
  return Value(0.0);
}

Result<Value> repeat(const Value& seq, std::int64_t times) {
  if (times < 0) times = 0;
  size_t size = seq.is_string() ? seq.as_string().size() : seq.as_array().size();
  size_t limit = seq.is_string() ? kMaxBuiltString : kMaxBuiltList;
  if (size > 0 && static_cast<std::uint64_t>(times) > limit / size) {
    return type_error(std::string("repeated ") + (seq.is_string() ? "string" : "list") + " too long (more than " +
                      std::to_string(limit) + (seq.is_string() ? " bytes)" : " items)"));
  }
  if (seq.is_string()) {
    std::string out;
    out.reserve(seq.as_string().size() * static_cast<size_t>(times));
    for (std::int64_t i = 0; i < times; ++i) out += seq.as_string();
    return Value(std::move(out));
  }
  Value::Array out;
  for (std::int64_t i = 0; i < times; ++i) {
    out.insert(out.end(), seq.as_array().begin(), seq.as_array().end());
  }
  return Value(std::move(out));
}

}  // namespace

const char* op_symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kFloorDiv: return "//";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kPow: return "**";
  }
  return "?";
}

bool truthy(const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull: return false;
    case Value::Type::kBool: return v.as_bool();
    case Value::Type::kInt: return v.as_int() != 0;
    case Value::Type::kDouble: return v.as_double() != 0.0;
    case Value::Type::kString: return !v.as_string().empty();
    case Value::Type::kArray: return !v.as_array().empty();
    case Value::Type::kObject: return !v.as_object().empty();
  }
  return false;
}

bool py_equal(const Value& a, const Value& b) {
  if (is_numeric(a) && is_numeric(b)) {
    if (is_integral(a) && is_integral(b)) return int_of(a) == int_of(b);
    return float_of(a) == float_of(b);
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    const auto& x = a.as_array();
    const auto& y = b.as_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!py_equal(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.as_object();
    const auto& y = b.as_object();
    if (x.size() != y.size()) return false;
    for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
      if (i->first != j->first || !py_equal(i->second, j->second)) return false;
    }
    return true;
  }
  return a == b;
}

Result<int> py_compare(const Value& a, const Value& b, std::string_view op) {
  if (is_numeric(a) && is_numeric(b)) {
    if (is_integral(a) && is_integral(b)) {
      auto x = int_of(a), y = int_of(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    double x = float_of(a), y = float_of(b);
    return x < y ? -1 : x > y ? 1 : 0;  // NaN compares equal here, unlike Python
  }
  if (a.is_string() && b.is_string()) {
    int c = a.as_string().compare(b.as_string());  // UTF-8 byte order is code point order
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.is_array() && b.is_array()) {
    const auto& x = a.as_array();
    const auto& y = b.as_array();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (py_equal(x[i], y[i])) continue;
      return py_compare(x[i], y[i], op);
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  return type_error("'" + std::string(op) + "' not supported between instances of '" + py_type_name(a) +
                    "' and '" + py_type_name(b) + "'");
}

Result<bool> py_contains(const Value& haystack, const Value& needle) {
  if (haystack.is_array()) {
    for (const auto& item : haystack.as_array()) {
      if (py_equal(item, needle)) return true;
    }
    return false;
  }
  if (haystack.is_object()) {
    if (needle.is_string()) return haystack.find(needle.as_string()) != nullptr;
    if (needle.is_int()) return haystack.find(std::to_string(needle.as_int())) != nullptr;
    return false;
  }
  if (haystack.is_string()) {
    if (!needle.is_string()) {
      return type_error(std::string("'in <string>' requires string as left operand, not ") + py_type_name(needle));
    }
    return haystack.as_string().find(needle.as_string()) != std::string::npos;
  }
  return type_error(std::string("argument of type '") + py_type_name(haystack) + "' is not iterable");
}

Result<Value> arithmetic(BinaryOp op, const Value& a, const Value& b) {
  if (is_numeric(a) && is_numeric(b)) {
    if (is_integral(a) && is_integral(b)) return integer_op(op, int_of(a), int_of(b));
    return float_op(op, float_of(a), float_of(b));
  }
  if (op == BinaryOp::kAdd) {
    if (a.is_string() && b.is_string()) return Value(a.as_string() + b.as_string());
    if (a.is_array() && b.is_array()) {
      Value::Array out = a.as_array();
      out.insert(out.end(), b.as_array().begin(), b.as_array().end());
      return Value(std::move(out));
    }
  }
  if (op == BinaryOp::kMul) {
    if ((a.is_string() || a.is_array()) && is_integral(b)) return repeat(a, int_of(b));
    if (is_integral(a) && (b.is_string() || b.is_array())) return repeat(b, int_of(a));
  }
  return unsupported(op, a, b);
}

}  // namespace fleetk8s::tmpl::detail
