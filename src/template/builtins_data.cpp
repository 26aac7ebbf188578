// Serialization and encoding filters: to_json, to_nice_json, from_json,
// to_yaml, to_nice_yaml, b64encode, b64decode, and path filters basename,
// dirname, path_join, splitext.
#include <cstring>

#include "builtin_util.h"
#include "py_json.h"
#include "py_yaml.h"

namespace fleetk8s::tmpl::detail {
namespace {

Result<Operand> to_json(Call& c) {
  JsonStyle style;
  auto indent = int_arg(c, 0, -1);
  if (!indent) return indent.error();
  style.indent = static_cast<int>(*indent);
  style.ensure_ascii = bool_arg(c, 2, true);
  return own(Value(json_dumps(c.input.value(), style)));
}

Result<Operand> to_nice_json(Call& c) {
  JsonStyle style;
  auto indent = int_arg(c, 0, 4);
  if (!indent) return indent.error();
  style.indent = static_cast<int>(*indent);
  style.ensure_ascii = bool_arg(c, 2, true);
  style.item_separator = ",";
  return own(Value(json_dumps(c.input.value(), style)));
}

Result<Operand> from_json(Call& c) {
  const Value& v = c.input.value();
  if (!v.is_string()) return c.fail(std::string("the JSON object must be str, not ") + py_type_name(v));
  auto parsed = json_loads(v.as_string());
  if (!parsed) return c.fail(parsed.error().message());
  return own(std::move(*parsed));
}

Result<Operand> yaml(Call& c, int default_indent, bool flow_leaves) {
  auto indent = int_arg(c, 0, default_indent);
  if (!indent) return indent.error();
  if (*indent < 2 || *indent > 9) return c.fail("indent must be between 2 and 9");
  return own(Value(yaml_dump(c.input.value(), {static_cast<int>(*indent), flow_leaves})));
}
Result<Operand> to_yaml(Call& c) { return yaml(c, 2, true); }
Result<Operand> to_nice_yaml(Call& c) { return yaml(c, 4, false); }

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Result<Operand> b64encode(Call& c) {
  std::string s = py_str(c.input.value());
  std::string out;
  for (size_t i = 0; i < s.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) n |= static_cast<unsigned char>(s[i + 1]) << 8;
    if (i + 2 < s.size()) n |= static_cast<unsigned char>(s[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < s.size() ? kBase64[(n >> 6) & 63] : '=';
    out += i + 2 < s.size() ? kBase64[n & 63] : '=';
  }
  return own(Value(std::move(out)));
}

// Python's base64.b64decode: characters outside the alphabet are skipped,
// padding must be right.
Result<Operand> b64decode(Call& c) {
  std::string s = py_str(c.input.value());
  std::string out;
  std::uint32_t bits = 0;
  int count = 0, symbols = 0;
  size_t padding = 0;
  for (char ch : s) {
    if (ch == '=') {
      ++padding;
      continue;
    }
    const char* p = ch ? std::strchr(kBase64, ch) : nullptr;
    if (!p) continue;
    if (padding) return c.fail("Incorrect padding");
    bits = (bits << 6) | static_cast<std::uint32_t>(p - kBase64);
    count += 6;
    ++symbols;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  if (symbols % 4 == 1 || (symbols % 4 != 0 && static_cast<size_t>(symbols % 4) + padding < 4)) {
    return c.fail("Incorrect padding");
  }
  return own(Value(std::move(out)));
}

// posixpath.basename / dirname.
Result<Operand> basename(Call& c) {
  std::string p = py_str(c.input.value());
  return own(Value(p.substr(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1)));
}

Result<Operand> dirname(Call& c) {
  std::string p = py_str(c.input.value());
  size_t slash = p.rfind('/');
  std::string head = slash == std::string::npos ? "" : p.substr(0, slash + 1);
  if (!head.empty() && head.find_first_not_of('/') != std::string::npos) {
    while (!head.empty() && head.back() == '/') head.pop_back();
  }
  return own(Value(std::move(head)));
}

// os.path.join over a list (or a single string).
Result<Operand> path_join(Call& c) {
  const Value& v = c.input.value();
  if (v.is_string()) return std::move(c.input);
  if (!v.is_array()) return c.fail(std::string("expects string or sequence, got ") + py_type_name(v) + " instead");
  std::string out;
  for (const auto& part : v.as_array()) {
    if (!part.is_string()) return wrong_type(c, "a list of strings", part);
    const std::string& s = part.as_string();
    if (!s.empty() && s[0] == '/') out = s;
    else if (out.empty() || out.back() == '/') out += s;
    else out += '/' + s;
  }
  return own(Value(std::move(out)));
}

// posixpath.splitext: [root, ext]; leading dots of the name are not an extension.
Result<Operand> splitext(Call& c) {
  std::string p = py_str(c.input.value());
  size_t name_start = p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1;
  size_t dot = p.rfind('.');
  if (dot == std::string::npos || dot < name_start ||
      p.find_first_not_of('.', name_start) == std::string::npos || p.find_first_not_of('.', name_start) > dot) {
    return own(Value(Value::Array{Value(p), Value("")}));
  }
  return own(Value(Value::Array{Value(p.substr(0, dot)), Value(p.substr(dot))}));
}

}  // namespace

void register_data_filters(Registry& r) {
  r.push_back({"to_json", {{"indent", "sort_keys", "ensure_ascii"}}, to_json});
  r.push_back({"to_nice_json", {{"indent", "sort_keys", "ensure_ascii"}}, to_nice_json});
  r.push_back({"from_json", {}, from_json});
  r.push_back({"to_yaml", {{"indent", "width", "default_flow_style"}}, to_yaml});
  r.push_back({"to_nice_yaml", {{"indent", "width"}}, to_nice_yaml});
  r.push_back({"b64encode", {{"encoding"}}, b64encode});
  r.push_back({"b64decode", {{"encoding"}}, b64decode});
  r.push_back({"basename", {}, basename});
  r.push_back({"dirname", {}, dirname});
  r.push_back({"path_join", {}, path_join});
  r.push_back({"splitext", {}, splitext});
}

}  // namespace fleetk8s::tmpl::detail
