#include "py_yaml.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <regex>

#include "python_repr.h"

namespace fleetk8s::tmpl::detail {
namespace {

// Plain scalars that YAML 1.1 (PyYAML's resolver) would not read as a string.
bool resolves_to_non_string(const std::string& s) {
  static const std::regex special(
      "^(?:"
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"  // bool
      "|~|null|Null|NULL"                                                          // null
      "|[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"                        // float
      "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
      "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
      "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)"
      "|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"  // int
      "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
      "|<<|="                                                                       // merge, value
      "|[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"                                 // timestamp
      "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
      "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?"
      ")$");
  return std::regex_match(s, special);
}

bool needs_double_quotes(const std::string& s) {
  for (unsigned char c : s) {
    if (c == '\n' || c == '\t' || c == '\r' || c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

// Whether PyYAML would write `s` as a plain scalar.
bool plain_ok(const std::string& s, bool flow) {
  if (s.empty() || resolves_to_non_string(s)) return false;
  if (s.front() == ' ' || s.back() == ' ') return false;
  if (s.compare(0, 3, "---") == 0 || s.compare(0, 3, "...") == 0) return false;
  if (std::strchr("#,[]{}&*!|>'\"%@`", s.front())) return false;
  bool followed_by_space = s.size() == 1 || s[1] == ' ';
  if ((s.front() == '-' || s.front() == '?' || s.front() == ':') && followed_by_space) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (flow && std::strchr(",?[]{}", c)) return false;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ' || (flow && std::strchr(",[]{}", s[i + 1])))) return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
  }
  return true;
}

std::string double_quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string scalar(const Value& v, bool flow) {
  switch (v.type()) {
    case Value::Type::kNull: return "null";
    case Value::Type::kBool: return v.as_bool() ? "true" : "false";
    case Value::Type::kInt: return std::to_string(v.as_int());
    case Value::Type::kDouble: {
      double d = v.as_double();
      if (std::isnan(d)) return ".nan";
      if (std::isinf(d)) return d < 0 ? "-.inf" : ".inf";
      std::string r = py_float_repr(d);
      if (r.find('.') == std::string::npos && r.find('e') != std::string::npos) r.insert(r.find('e'), ".0");
      return r;
    }
    case Value::Type::kString: {
      const std::string& s = v.as_string();
      if (needs_double_quotes(s)) return double_quoted(s);
      if (plain_ok(s, flow)) return s;
      std::string out = "'";
      for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
      return out + "'";
    }
    default: return "";
  }
}

bool is_collection(const Value& v) { return v.is_array() || v.is_object(); }
bool is_empty_collection(const Value& v) {
  return (v.is_array() && v.as_array().empty()) || (v.is_object() && v.as_object().empty());
}

class Writer {
 public:
  explicit Writer(const YamlStyle& style) : style_(style) {}

  std::string document(const Value& v) {
    if (!is_collection(v) || is_empty_collection(v) || inline_ok(v)) {
      out_ = is_collection(v) ? flow(v) : scalar(v, false);
      return out_ + "\n";
    }
    block(v, 0);
    return out_;
  }

 private:
  bool inline_ok(const Value& v) const {
    if (!style_.flow_leaves) return false;
    if (v.is_array()) {
      for (const auto& item : v.as_array()) {
        if (is_collection(item)) return false;
      }
    } else {
      for (const auto& [key, member] : v.as_object()) {
        if (is_collection(member)) return false;
      }
    }
    return true;
  }

  std::string flow(const Value& v) const {
    std::string out;
    if (v.is_array()) {
      out += '[';
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out += ", ";
        first = false;
        out += is_collection(item) ? flow(item) : scalar(item, true);
      }
      return out + ']';
    }
    out += '{';
    bool first = true;
    for (const auto& [key, member] : v.as_object()) {
      if (!first) out += ", ";
      first = false;
      out += scalar(Value(key), true) + ": " + (is_collection(member) ? flow(member) : scalar(member, true));
    }
    return out + '}';
  }

  // Writes a value that follows "key:" or "- " on the current line.
  void value_after(const Value& v, int column, bool after_dash) {
    if (!is_collection(v)) {
      out_ += ' ' + scalar(v, false) + '\n';
    } else if (is_empty_collection(v) || inline_ok(v)) {
      out_ += ' ' + flow(v) + '\n';
    } else if (after_dash) {
      // "-   a: 1" : the first entry shares the dash's line.
      out_.append(static_cast<size_t>(style_.indent - 1), ' ');
      block(v, column + style_.indent, /*continue_line=*/true);
    } else {
      out_ += '\n';
      // Sequences under a key are not indented (PyYAML's indentless style).
      block(v, v.is_array() ? column : column + style_.indent);
    }
  }

  void block(const Value& v, int column, bool continue_line = false) {
    std::string pad(static_cast<size_t>(column), ' ');
    bool first = true;
    if (v.is_array()) {
      for (const auto& item : v.as_array()) {
        if (!(first && continue_line)) out_ += pad;
        first = false;
        out_ += '-';
        value_after(item, column, true);
      }
      return;
    }
    for (const auto& [key, member] : v.as_object()) {
      if (!(first && continue_line)) out_ += pad;
      first = false;
      out_ += scalar(Value(key), false) + ':';
      value_after(member, column, false);
    }
  }

  const YamlStyle& style_;
  std::string out_;
};

}  // namespace

std::string yaml_dump(const Value& v, const YamlStyle& style) { return Writer(style).document(v); }

}  // namespace fleetk8s::tmpl::detail
