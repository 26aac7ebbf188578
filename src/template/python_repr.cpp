#include "python_repr.h"

#include "fleetk8s/core/number.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace fleetk8s::tmpl::detail {

const char* py_type_name(const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull: return "NoneType";
    case Value::Type::kBool: return "bool";
    case Value::Type::kInt: return "int";
    case Value::Type::kDouble: return "float";
    case Value::Type::kString: return "str";
    case Value::Type::kArray: return "list";
    case Value::Type::kObject: return "dict";
  }
  return "object";
}

std::string py_float_repr(double d) { return python_float_repr(d); }

namespace {

void append_string_repr(std::string& out, const std::string& s) {
  bool has_single = s.find('\'') != std::string::npos;
  bool has_double = s.find('"') != std::string::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  out += quote;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0xA0) {
      // U+0080..U+00A0 are not printable for Python.
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i + 1]));
      out += buf;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
}

void append_repr(std::string& out, const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull: out += "None"; break;
    case Value::Type::kBool: out += v.as_bool() ? "True" : "False"; break;
    case Value::Type::kInt: out += std::to_string(v.as_int()); break;
    case Value::Type::kDouble: out += py_float_repr(v.as_double()); break;
    case Value::Type::kString: append_string_repr(out, v.as_string()); break;
    case Value::Type::kArray: {
      out += '[';
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out += ", ";
        first = false;
        append_repr(out, item);
      }
      out += ']';
      break;
    }
    case Value::Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : v.as_object()) {
        if (!first) out += ", ";
        first = false;
        append_string_repr(out, key);
        out += ": ";
        append_repr(out, member);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string py_repr(const Value& v) {
  std::string out;
  append_repr(out, v);
  return out;
}

std::string py_str(const Value& v) {
  if (v.is_string()) return v.as_string();
  return py_repr(v);
}

}  // namespace fleetk8s::tmpl::detail
