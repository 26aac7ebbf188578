#include "access.h"

#include <cstdlib>

#include "python_repr.h"
#include "utf8.h"

namespace fleetk8s::tmpl::detail {
namespace {

// Jinja's object_type_repr: "dict object", "None".
std::string type_repr(const Value& v) {
  if (v.is_null()) return "None";
  return std::string(py_type_name(v)) + " object";
}

Operand no_attribute(const Value& base, const std::string& name) {
  return Operand::undefined({"'" + type_repr(base) + "' has no attribute '" + name + "'", name});
}

Operand no_element(const Value& base, const Value& key) {
  return Operand::undefined({type_repr(base) + " has no element " + py_repr(key), py_str(key)});
}

// Python's index normalization; nullopt when out of range.
std::optional<size_t> normalize(std::int64_t index, size_t size) {
  auto n = static_cast<std::int64_t>(size);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  return static_cast<size_t>(index);
}

}  // namespace

Operand get_attribute(Operand base, const std::string& name) {
  if (!base.is_defined()) return base;
  const Value& v = base.value();
  if (v.is_object()) {
    if (const Value* member = v.find(name)) return std::move(base).narrow_to(*member);
  }
  return no_attribute(v, name);
}

Operand get_item(Operand base, const Value& key) {
  if (!base.is_defined()) return base;
  const Value& v = base.value();
  bool integral = key.is_int() || key.is_bool();
  std::int64_t index = key.is_bool() ? (key.as_bool() ? 1 : 0) : key.is_int() ? key.as_int() : 0;
  if (v.is_object()) {
    std::string name = key.is_string() ? key.as_string() : py_str(key);
    if (const Value* member = v.find(name)) return std::move(base).narrow_to(*member);
    return key.is_string() ? no_attribute(v, name) : no_element(v, key);
  }
  if (v.is_array() && integral) {
    if (auto i = normalize(index, v.as_array().size())) return std::move(base).narrow_to(v.as_array()[*i]);
    return no_element(v, key);
  }
  if (v.is_string() && integral) {
    const std::string& s = v.as_string();
    bool ascii = true;
    for (char c : s) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      if (auto i = normalize(index, s.size())) return Operand::own(Value(std::string(1, s[*i])));
    } else {
      auto chars = utf8_chars(s);
      if (auto i = normalize(index, chars.size())) return Operand::own(Value(std::string(chars[*i])));
    }
    return no_element(v, key);
  }
  if (key.is_string()) return no_attribute(v, key.as_string());
  return no_element(v, key);
}

Operand get_path(Operand base, std::string_view path) {
  size_t start = 0;
  for (;;) {
    size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    bool numeric = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    base = numeric ? get_item(std::move(base), Value(static_cast<std::int64_t>(std::strtoll(part.c_str(), nullptr, 10))))
                   : get_item(std::move(base), Value(part));
    if (dot == std::string_view::npos) return base;
    start = dot + 1;
  }
}

Operand get_by_attribute(Operand base, const Value& attribute) {
  if (attribute.is_string()) return get_path(std::move(base), attribute.as_string());
  return get_item(std::move(base), attribute);
}

Result<Value> get_slice(const Value& base, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                        std::optional<std::int64_t> step_opt) {
  std::int64_t step = step_opt.value_or(1);
  if (step == 0) return Error(ErrorKind::kInvalidInput, "slice step cannot be zero");
  std::vector<std::string_view> chars;
  size_t size;
  if (base.is_array()) {
    size = base.as_array().size();
  } else if (base.is_string()) {
    chars = utf8_chars(base.as_string());
    size = chars.size();
  } else {
    return Error(ErrorKind::kInvalidInput, std::string("'") + py_type_name(base) + "' object is not subscriptable");
  }
  // Python's slice.indices().
  auto n = static_cast<std::int64_t>(size);
  auto clamp = [&](std::optional<std::int64_t> v, std::int64_t fallback) {
    if (!v) return fallback;
    std::int64_t i = *v < 0 ? *v + n : *v;
    if (step > 0) return i < 0 ? 0 : i > n ? n : i;
    return i < 0 ? -1 : i >= n ? n - 1 : i;
  };
  std::int64_t from = clamp(start, step > 0 ? 0 : n - 1);
  std::int64_t to = clamp(stop, step > 0 ? n : -1);
  if (base.is_array()) {
    Value::Array out;
    for (std::int64_t i = from; step > 0 ? i < to : i > to; i += step) out.push_back(base.as_array()[static_cast<size_t>(i)]);
    return Value(std::move(out));
  }
  std::string out;
  for (std::int64_t i = from; step > 0 ? i < to : i > to; i += step) out += chars[static_cast<size_t>(i)];
  return Value(std::move(out));
}

}  // namespace fleetk8s::tmpl::detail
