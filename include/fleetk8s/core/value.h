// Value: the JSON data model used for variables (inventory, playbooks,
// facts) and for machine-readable output. Objects keep their keys sorted so
// output is deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fleetk8s {

class Value {
 public:
  using Array = std::vector<Value>;
  using Object = std::map<std::string, Value>;
  enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(static_cast<std::int64_t>(i)) {}
  Value(std::int64_t i) : v_(i) {}
  Value(double d) : v_(d) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}
  // Copies and moves are out of line: inlined into callers, GCC 12 warns
  // that the copied variant "may be used uninitialized" (a false positive
  // of -Wmaybe-uninitialized on std::variant's storage).
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value() = default;

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_int() const { return type() == Type::kInt; }
  bool is_double() const { return type() == Type::kDouble; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // REQUIRES: the matching type.
  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  double as_double() const { return is_int() ? static_cast<double>(as_int()) : std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object member access. operator[] turns a null into an object first.
  Value& operator[](const std::string& key);
  // Returns the member or nullptr when absent or not an object.
  const Value* find(const std::string& key) const;

  // The value as text the way Ansible prints it in a template: strings
  // unquoted, everything else as JSON.
  std::string to_display() const;

  // Compact JSON (indent < 0) or pretty JSON with `indent` spaces.
  std::string to_json(int indent = -1) const;

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> v_{nullptr};
};

// A whole number written as data: an int >= 0, or a string of 1 to 9 decimal digits (as a
// setting or a keyword reads from YAML, an -e value or a rendered template). Anything else,
// signs and spaces included: nothing. Callers check their own bounds.
std::optional<long> whole_number(const Value& v);

// Escapes a string for inclusion in JSON (without the surrounding quotes).
std::string json_escape(const std::string& s);

}  // namespace fleetk8s
