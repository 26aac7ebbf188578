#include "fleetk8s/core/value.h"

#include <cmath>
#include <cstdio>

#include "fleetk8s/core/number.h"

namespace fleetk8s {

Value::Value(const Value& other) = default;
Value::Value(Value&& other) noexcept = default;
Value& Value::operator=(const Value& other) = default;
Value& Value::operator=(Value&& other) noexcept = default;

Value& Value::operator[](const std::string& key) {
  if (is_null()) v_ = Object{};
  return std::get<Object>(v_)[key];
}

const Value* Value::find(const std::string& key) const {
  if (!is_object()) return nullptr;
  const auto& o = as_object();
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->second;
}

std::optional<long> whole_number(const Value& v) {
  if (v.is_int()) return v.as_int() >= 0 ? std::optional<long>(v.as_int()) : std::nullopt;
  if (!v.is_string()) return std::nullopt;
  const std::string& t = v.as_string();
  if (t.empty() || t.size() > 9) return std::nullopt;
  long n = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string json_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

namespace {

void write(const Value& v, int indent, int depth, std::string& out) {
  auto newline = [&](int d) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * d), ' ');
  };
  switch (v.type()) {
    case Value::Type::kNull: out += "null"; break;
    case Value::Type::kBool: out += v.as_bool() ? "true" : "false"; break;
    case Value::Type::kInt: out += std::to_string(v.as_int()); break;
    case Value::Type::kDouble: {
      double d = v.as_double();
      if (!std::isfinite(d)) { out += "null"; break; }
      out += python_float_repr(d);  // as json.dumps writes it: 0.1, 1.0, 1e+300
      break;
    }
    case Value::Type::kString: out += '"' + json_escape(v.as_string()) + '"'; break;
    case Value::Type::kArray: {
      const auto& a = v.as_array();
      if (a.empty()) { out += "[]"; break; }
      out += '[';
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        write(a[i], indent, depth + 1, out);
      }
      newline(depth);
      out += ']';
      break;
    }
    case Value::Type::kObject: {
      const auto& o = v.as_object();
      if (o.empty()) { out += "{}"; break; }
      out += '{';
      bool first = true;
      for (const auto& [k, member] : o) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        out += '"' + json_escape(k) + (indent < 0 ? "\":" : "\": ");
        write(member, indent, depth + 1, out);
      }
      newline(depth);
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string Value::to_json(int indent) const {
  std::string out;
  write(*this, indent, 0, out);
  return out;
}

std::string Value::to_display() const {
  if (is_string()) return as_string();
  if (is_bool()) return as_bool() ? "True" : "False";
  return to_json();
}

}  // namespace fleetk8s
