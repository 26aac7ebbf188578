#include "arg_check.h"

#include <cstdio>

namespace fleetk8s::modules {

namespace {

bool holds_nul(const Value& v) {
  if (v.is_string()) return v.as_string().find('\0') != std::string::npos;
  if (v.is_array()) {
    for (const auto& x : v.as_array())
      if (holds_nul(x)) return true;
  }
  if (v.is_object()) {
    for (const auto& [k, x] : v.as_object())
      if (k.find('\0') != std::string::npos || holds_nul(x)) return true;
  }
  return false;
}

}  // namespace

std::string shown(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (out.size() >= 60) return out + "...";
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c >= 0x7f || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, c == '\\' ? "\\\\" : "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

Result<void> no_nul(const Value::Object& args, std::initializer_list<std::string_view> except) {
  for (const auto& [key, v] : args) {
    bool exempt = false;
    for (auto e : except) exempt = exempt || key == e;
    if (!exempt && holds_nul(v)) return Error(ErrorKind::kInvalidInput, key + " must not contain a NUL character");
  }
  return {};
}

Result<void> check_name(const std::string& key, const std::string& value, std::string_view extra,
                        std::string_view what) {
  bool ok = !value.empty() && value[0] != '-';
  for (char c : value) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    ok = ok && (alnum || extra.find(c) != std::string_view::npos);
  }
  if (ok) return {};
  std::string allowed = "letters, digits";
  for (char c : extra) allowed += std::string(", '") + c + "'";
  return Error(ErrorKind::kInvalidInput, key + ": \"" + shown(value) + "\" is not " + std::string(what) + " (" +
                                             allowed + "; not starting with '-')");
}

Result<void> one_line(const std::string& key, const std::string& value) {
  for (char c : value) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f') {
      return Error(ErrorKind::kInvalidInput,
                   key + " must be one line without control characters, got \"" + shown(value) + "\"");
    }
  }
  return {};
}

}  // namespace fleetk8s::modules
