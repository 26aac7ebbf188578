// Node -> Value with YAML 1.1 implicit typing exactly as PyYAML's resolver
// and SafeConstructor do it, since that is what Ansible sees.
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <regex>
#include <string>

#include "fleetk8s/yaml/node.h"

namespace fleetk8s::yaml {
namespace {

const std::string kTagPrefix = "tag:yaml.org,2002:";

bool is_bool_word(const std::string& s) {
  static const char* const kWords[] = {"yes", "Yes", "YES", "no",  "No",  "NO",
                                       "true", "True", "TRUE", "false", "False", "FALSE",
                                       "on",  "On",  "ON",  "off", "Off", "OFF"};
  for (const char* w : kWords) {
    if (s == w) return true;
  }
  return false;
}

bool bool_value(const std::string& s) {
  char c = s.empty() ? 'n' : s[0];
  if (c == 'o' || c == 'O') return s.size() == 2;  // on / off
  return c == 'y' || c == 'Y' || c == 't' || c == 'T';
}

bool is_null_word(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

constexpr std::size_t kMaxNumberLength = 4096;

const std::regex& float_pattern() {
  static const std::regex re(
      R"(^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?)"
      R"(|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)"
      R"(|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)"
      R"(|[-+]?\.(?:inf|Inf|INF))"
      R"(|\.(?:nan|NaN|NAN))$)");
  return re;
}

const std::regex& int_pattern() {
  static const std::regex re(
      R"(^(?:[-+]?0b[0-1_]+)"
      R"(|[-+]?0[0-7_]+)"
      R"(|[-+]?(?:0|[1-9][0-9_]*))"
      R"(|[-+]?0x[0-9a-fA-F_]+)"
      R"(|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$)");
  return re;
}

std::string without_underscores(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

// PyYAML's construct_yaml_int. nullopt when the digits are empty or the
// number does not fit in 64 bits.
std::optional<std::int64_t> construct_int(const std::string& text) {
  std::string v = without_underscores(text);
  if (v.empty()) return std::nullopt;
  bool negative = v[0] == '-';
  if (v[0] == '-' || v[0] == '+') v.erase(0, 1);
  // Parses with the sign attached so that INT64_MIN fits.
  auto parse = [&](std::string_view digits, int base) -> std::optional<std::int64_t> {
    std::string signed_digits = (negative ? "-" : "") + std::string(digits);
    std::int64_t out = 0;
    const char* end = signed_digits.data() + signed_digits.size();
    auto [p, ec] = std::from_chars(signed_digits.data(), end, out, base);
    if (digits.empty() || ec != std::errc() || p != end) return std::nullopt;
    return out;
  };
  if (v == "0") return 0;
  if (v.rfind("0b", 0) == 0) return parse(std::string_view(v).substr(2), 2);
  if (v.rfind("0x", 0) == 0) return parse(std::string_view(v).substr(2), 16);
  if (v[0] == '0') return parse(v, 8);
  if (v.find(':') != std::string::npos) {
    std::int64_t total = 0;
    size_t start = 0;
    while (true) {
      size_t colon = v.find(':', start);
      auto part = parse(std::string_view(v).substr(start, colon - start), 10);
      if (!part) return std::nullopt;
      // every part carries the sign; past 64 bits is no int, as for decimals
      if (__builtin_mul_overflow(total, 60, &total) || __builtin_add_overflow(total, *part, &total))
        return std::nullopt;
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    return total;
  }
  return parse(v, 10);
}

// PyYAML's construct_yaml_float.
std::optional<double> construct_float(const std::string& text) {
  std::string v = without_underscores(text);
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v.empty()) return std::nullopt;
  double sign = 1;
  if (v[0] == '-') sign = -1;
  if (v[0] == '-' || v[0] == '+') v.erase(0, 1);
  if (v == ".inf") return sign * std::numeric_limits<double>::infinity();
  if (v == ".nan") return std::numeric_limits<double>::quiet_NaN();
  auto parse = [](const std::string& s) -> std::optional<double> {
    double out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return out;
  };
  if (v.find(':') != std::string::npos) {
    double total = 0;
    size_t start = 0;
    while (true) {
      size_t colon = v.find(':', start);
      auto part = parse(v.substr(start, colon - start));
      if (!part) return std::nullopt;
      total = total * 60 + *part;
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    return sign * total;
  }
  // PyYAML accepts "5." and ".5"; give from_chars the digits it expects.
  if (v.back() == '.') v += '0';
  if (v.front() == '.') v.insert(0, "0");
  auto d = parse(v);
  if (!d) return std::nullopt;
  return sign * *d;
}

Value resolve_plain(const std::string& s) {
  if (is_null_word(s)) return Value();
  if (is_bool_word(s)) return Value(bool_value(s));
  // libstdc++'s regex recurses per character: a scalar past a few KiB is
  // no number a playbook means, and must not overflow the stack.
  if (s.size() > kMaxNumberLength) return Value(s);
  if (std::regex_match(s, float_pattern())) {
    if (auto d = construct_float(s)) return Value(*d);
  } else if (std::regex_match(s, int_pattern())) {
    if (auto i = construct_int(s)) return Value(*i);
  }
  return Value(s);
}

Value resolve_tagged(const Node& node) {
  const std::string& tag = node.tag();
  const std::string& s = node.scalar();
  if (tag == kTagPrefix + "null") return Value();
  if (tag == kTagPrefix + "bool") {
    std::string lower;
    for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "yes" || lower == "true" || lower == "on") return Value(true);
    if (lower == "no" || lower == "false" || lower == "off") return Value(false);
  } else if (tag == kTagPrefix + "int") {
    if (auto i = construct_int(s)) return Value(*i);
  } else if (tag == kTagPrefix + "float") {
    if (auto d = construct_float(s)) return Value(*d);
  } else if (tag.rfind(kTagPrefix, 0) != 0 || tag == kTagPrefix + "str") {
    return Value(s);  // !!str, and local tags such as Ansible's !unsafe
  }
  return node.quoted() ? Value(s) : resolve_plain(s);
}

// The text Python's json module gives a non-string dict key.
std::string key_text(const Value& key) {
  switch (key.type()) {
    case Value::Type::kString: return key.as_string();
    case Value::Type::kBool: return key.as_bool() ? "true" : "false";
    case Value::Type::kNull: return "null";
    case Value::Type::kInt: return std::to_string(key.as_int());
    case Value::Type::kDouble: {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, key.as_double());
      std::string out = ec == std::errc() ? std::string(buf, end) : key.to_json();
      if (out.find_first_of(".en") == std::string::npos) out += ".0";
      return out;
    }
    default: return key.to_json();
  }
}

bool is_merge_key(const Node& key) {
  return key.is_scalar() && !key.quoted() && key.tag().empty() && key.scalar() == "<<";
}

void merge_into(Value::Object& out, const Node& source) {
  Value v = to_value(source);
  if (!v.is_object()) return;
  for (auto& [k, member] : v.as_object()) out.emplace(k, std::move(member));  // keeps existing
}

Value map_value(const Node& node) {
  Value::Object out;
  for (const auto& [key, value] : node.entries()) {
    if (is_merge_key(key)) continue;
    out.insert_or_assign(key_text(to_value(key)), to_value(value));
  }
  // Merged maps never override explicit keys; in a list, earlier maps win.
  for (const auto& [key, value] : node.entries()) {
    if (!is_merge_key(key)) continue;
    if (value.is_map()) merge_into(out, value);
    for (const Node& item : value.items()) merge_into(out, item);
  }
  return Value(std::move(out));
}

}  // namespace

Value to_value(const Node& node) {
  switch (node.kind()) {
    case Node::Kind::kNull:
      if (node.tag() == kTagPrefix + "str") return Value("");
      return Value();
    case Node::Kind::kScalar:
      if (!node.tag().empty()) return resolve_tagged(node);
      return node.quoted() ? Value(node.scalar()) : resolve_plain(node.scalar());
    case Node::Kind::kSequence: {
      Value::Array out;
      out.reserve(node.items().size());
      for (const Node& item : node.items()) out.push_back(to_value(item));
      return Value(std::move(out));
    }
    case Node::Kind::kMap: return map_value(node);
  }
  return Value();
}

}  // namespace fleetk8s::yaml
