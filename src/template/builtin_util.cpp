#include "builtin_util.h"

#include <cmath>

#include "fleetk8s/core/number.h"
#include "utf8.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {

Error wrong_type(const Call& call, const char* wanted, const Value& got) {
  return call.fail(std::string("expected ") + wanted + ", got " + py_type_name(got));
}

Result<std::string> string_arg(const Call& call, size_t i, std::string fallback) {
  const Value* v = call.arg(i);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string()) return wrong_type(call, "a string argument", *v);
  return v->as_string();
}

Result<std::int64_t> int_arg(const Call& call, size_t i, std::int64_t fallback) {
  const Value* v = call.arg(i);
  if (!v || v->is_null()) return fallback;
  if (v->is_int()) return v->as_int();
  if (v->is_bool()) return std::int64_t{v->as_bool() ? 1 : 0};
  if (v->is_double()) {
    if (auto n = whole_int64(v->as_double())) return *n;
  }
  return wrong_type(call, "an integer argument", *v);
}

bool bool_arg(const Call& call, size_t i, bool fallback) {
  const Value* v = call.arg(i);
  return v ? truthy(*v) : fallback;
}

Result<Iteration> iterate(const Value& v) {
  Iteration it;
  if (v.is_array()) {
    it.borrowed_ = &v.as_array();
  } else if (v.is_object()) {
    for (const auto& [key, member] : v.as_object()) it.owned_.emplace_back(key);
  } else if (v.is_string()) {
    for (auto c : utf8_chars(v.as_string())) it.owned_.emplace_back(std::string(c));
  } else {
    return Error(ErrorKind::kInvalidInput, std::string("'") + py_type_name(v) + "' object is not iterable");
  }
  return it;
}

std::string ascii_lower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string ascii_upper(std::string s) {
  for (auto& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

}  // namespace fleetk8s::tmpl::detail
