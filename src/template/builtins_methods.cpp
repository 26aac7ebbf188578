// The Python methods Ansible playbooks call on values: str.startswith,
// str.split, dict.items, dict.get, list.index, ... Each name dispatches on
// the receiver's type.
#include <charconv>
#include <cstring>

#include "builtin_util.h"
#include "utf8.h"

namespace fleetk8s::tmpl::detail {
namespace {

Error no_method(const Call& c) {
  const Value& v = c.input.value();
  std::string type = v.is_null() ? "None" : std::string(py_type_name(v)) + " object";
  return Error(ErrorKind::kInvalidInput, "'" + type + "' has no attribute '" + std::string(c.name) + "'");
}

// Runs the filter of the same purpose on a string receiver.
Result<Operand> as_filter(Call& c, std::string_view filter) {
  if (!c.input.value().is_string()) return no_method(c);
  return find_filter(filter)->fn(c);
}

Result<Operand> lower(Call& c) { return as_filter(c, "lower"); }
Result<Operand> upper(Call& c) { return as_filter(c, "upper"); }
Result<Operand> capitalize(Call& c) { return as_filter(c, "capitalize"); }
Result<Operand> title(Call& c) { return as_filter(c, "title"); }
Result<Operand> split(Call& c) { return as_filter(c, "split"); }
Result<Operand> replace(Call& c) { return as_filter(c, "replace"); }
// str.format with "{}", "{0}", "{0!r}" and "{{" "}}"; no format specs.
Result<Operand> format(Call& c) {
  if (!c.input.value().is_string()) return no_method(c);
  const std::string& f = c.input.value().as_string();
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '}') {
      if (i + 1 < f.size() && f[i + 1] == '}') ++i;
      else return c.fail("Single '}' encountered in format string");
      out += '}';
      continue;
    }
    if (f[i] != '{') {
      out += f[i];
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    size_t close = f.find('}', i);
    if (close == std::string::npos) return c.fail("Single '{' encountered in format string");
    std::string field = f.substr(i + 1, close - i - 1);
    bool repr = false;
    if (auto bang = field.find('!'); bang != std::string::npos) {
      repr = field.substr(bang) == "!r";
      field.resize(bang);
    }
    if (field.find(':') != std::string::npos) return c.fail("format specs are not supported");
    size_t n = next++;
    if (!field.empty()) {
      if (field.find_first_not_of("0123456789") != std::string::npos) {
        return c.fail("named fields are not supported: '" + field + "'");
      }
      // More digits than fit are out of range too (std::stoul would throw).
      if (std::from_chars(field.data(), field.data() + field.size(), n).ec != std::errc()) n = c.rest.size();
    }
    if (n >= c.rest.size()) {
      return c.fail("Replacement index " + (field.empty() ? std::to_string(n) : field) + " out of range");
    }
    out += repr ? py_repr(c.rest[n].value()) : py_str(c.rest[n].value());
    i = close;
  }
  return own(Value(std::move(out)));
}

Result<Operand> affix(Call& c, bool prefix) {
  if (!c.input.value().is_string()) return no_method(c);
  const std::string& s = c.input.value().as_string();
  auto matches = [&](const Value& p) -> Result<bool> {
    if (!p.is_string()) return wrong_type(c, "a string or a list of strings", p);
    const std::string& a = p.as_string();
    if (a.size() > s.size()) return false;
    return prefix ? s.compare(0, a.size(), a) == 0 : s.compare(s.size() - a.size(), a.size(), a) == 0;
  };
  const Value& arg = *c.arg(0);
  if (arg.is_array()) {
    for (const auto& p : arg.as_array()) {
      auto m = matches(p);
      if (!m) return m.error();
      if (*m) return own(Value(true));
    }
    return own(Value(false));
  }
  auto m = matches(arg);
  if (!m) return m.error();
  return own(Value(*m));
}
Result<Operand> startswith(Call& c) { return affix(c, true); }
Result<Operand> endswith(Call& c) { return affix(c, false); }

Result<Operand> strip_side(Call& c, bool left, bool right) {
  if (!c.input.value().is_string()) return no_method(c);
  const std::string& s = c.input.value().as_string();
  auto chars = string_arg(c, 0, " \t\n\r\v\f");
  if (!chars) return chars.error();
  size_t begin = 0, end = s.size();
  while (left && begin < end && chars->find(s[begin]) != std::string::npos) ++begin;
  while (right && end > begin && chars->find(s[end - 1]) != std::string::npos) --end;
  return own(Value(s.substr(begin, end - begin)));
}
Result<Operand> strip(Call& c) { return strip_side(c, true, true); }
Result<Operand> lstrip(Call& c) { return strip_side(c, true, false); }
Result<Operand> rstrip(Call& c) { return strip_side(c, false, true); }

Result<Operand> rsplit(Call& c) {
  if (!c.input.value().is_string()) return no_method(c);
  auto max = int_arg(c, 1, -1);
  if (!max) return max.error();
  const Value* sep = c.arg(0);
  if (*max < 0 || !sep || !sep->is_string()) return split(c);
  const std::string& s = c.input.value().as_string();
  const std::string& d = sep->as_string();
  if (d.empty()) return c.fail("empty separator");
  Value::Array parts;
  size_t end = s.size();
  while (static_cast<std::int64_t>(parts.size()) < *max) {
    size_t hit = end >= d.size() ? s.rfind(d, end - d.size()) : std::string::npos;
    if (hit == std::string::npos) break;
    parts.emplace_back(s.substr(hit + d.size(), end - hit - d.size()));
    end = hit;
  }
  parts.emplace_back(s.substr(0, end));
  return own(Value(Value::Array(parts.rbegin(), parts.rend())));
}

Result<Operand> splitlines(Call& c) {
  if (!c.input.value().is_string()) return no_method(c);
  const std::string& s = c.input.value().as_string();
  Value::Array lines;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') {
      lines.emplace_back(s.substr(start, i - start));
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < s.size()) lines.emplace_back(s.substr(start));
  return own(Value(std::move(lines)));
}

// str.find / rfind / index / count and list.index / count.
Result<Operand> search(Call& c, bool reverse, bool must_find) {
  const Value& v = c.input.value();
  const Value& x = *c.arg(0);
  if (v.is_array()) {
    const auto& items = v.as_array();
    for (size_t i = 0; i < items.size(); ++i) {
      if (py_equal(items[i], x)) return own(Value(static_cast<std::int64_t>(i)));
    }
    return c.fail(py_repr(x) + " is not in list");
  }
  if (!v.is_string()) return no_method(c);
  if (!x.is_string()) return wrong_type(c, "a string argument", x);
  const std::string& s = v.as_string();
  size_t hit = reverse ? s.rfind(x.as_string()) : s.find(x.as_string());
  if (hit == std::string::npos) {
    if (must_find) return c.fail("substring not found");
    return own(Value(std::int64_t{-1}));
  }
  return own(Value(static_cast<std::int64_t>(utf8_length(std::string_view(s).substr(0, hit)))));
}
Result<Operand> find(Call& c) { return search(c, false, false); }
Result<Operand> rfind(Call& c) { return search(c, true, false); }
Result<Operand> index(Call& c) { return search(c, false, true); }

Result<Operand> count(Call& c) {
  const Value& v = c.input.value();
  const Value& x = *c.arg(0);
  std::int64_t n = 0;
  if (v.is_array()) {
    for (const auto& item : v.as_array()) n += py_equal(item, x) ? 1 : 0;
    return own(Value(n));
  }
  if (!v.is_string()) return no_method(c);
  if (!x.is_string()) return wrong_type(c, "a string argument", x);
  const std::string& s = v.as_string();
  const std::string& sub = x.as_string();
  if (sub.empty()) return own(Value(static_cast<std::int64_t>(utf8_length(s) + 1)));
  for (size_t pos = s.find(sub); pos != std::string::npos; pos = s.find(sub, pos + sub.size())) ++n;
  return own(Value(n));
}

Result<Operand> join(Call& c) {
  if (!c.input.value().is_string()) return no_method(c);
  auto items = iterate(*c.arg(0));
  if (!items) return c.fail(items.error().message());
  std::string out;
  size_t i = 0;
  for (const auto& item : items->items()) {
    if (!item.is_string()) {
      return c.fail("sequence item " + std::to_string(i) + ": expected str instance, " + py_type_name(item) + " found");
    }
    if (i++ > 0) out += c.input.value().as_string();
    out += item.as_string();
  }
  return own(Value(std::move(out)));
}

Result<Operand> char_class(Call& c, int (*accept)(int)) {
  if (!c.input.value().is_string()) return no_method(c);
  const std::string& s = c.input.value().as_string();
  if (s.empty()) return own(Value(false));
  for (char ch : s) {
    if (!accept(static_cast<unsigned char>(ch))) return own(Value(false));
  }
  return own(Value(true));
}
Result<Operand> isdigit(Call& c) { return char_class(c, ::isdigit); }
Result<Operand> isalpha(Call& c) { return char_class(c, ::isalpha); }
Result<Operand> isalnum(Call& c) { return char_class(c, ::isalnum); }
Result<Operand> isspace(Call& c) { return char_class(c, ::isspace); }

Result<Operand> dict_view(Call& c, int which) {
  if (!c.input.value().is_object()) return no_method(c);
  Value::Array out;
  for (const auto& [key, member] : c.input.value().as_object()) {
    if (which == 0) out.emplace_back(key);
    else if (which == 1) out.push_back(member);
    else out.emplace_back(Value::Array{Value(key), member});
  }
  return own(Value(std::move(out)));
}
Result<Operand> keys(Call& c) { return dict_view(c, 0); }
Result<Operand> values(Call& c) { return dict_view(c, 1); }
Result<Operand> items(Call& c) { return dict_view(c, 2); }

Result<Operand> get(Call& c) {
  const Value& v = c.input.value();
  if (!v.is_object()) return no_method(c);
  const Value& key = *c.arg(0);
  if (const Value* member = v.find(key.is_string() ? key.as_string() : py_str(key))) {
    return std::move(c.input).narrow_to(*member);
  }
  if (c.args[1]) return std::move(*c.args[1]);
  return own(Value());
}

}  // namespace

void register_methods(Registry& r) {
  r.push_back({"lower", {}, lower});
  r.push_back({"upper", {}, upper});
  r.push_back({"capitalize", {}, capitalize});
  r.push_back({"title", {}, title});
  r.push_back({"split", {{"sep", "maxsplit"}}, split});
  r.push_back({"rsplit", {{"sep", "maxsplit"}}, rsplit});
  r.push_back({"splitlines", {}, splitlines});
  r.push_back({"replace", {{"old", "new", "count"}, 2}, replace});
  r.push_back({"format", {{}, 0, 0, true}, format});
  r.push_back({"startswith", {{"prefix"}, 1}, startswith});
  r.push_back({"endswith", {{"suffix"}, 1}, endswith});
  r.push_back({"strip", {{"chars"}}, strip});
  r.push_back({"lstrip", {{"chars"}}, lstrip});
  r.push_back({"rstrip", {{"chars"}}, rstrip});
  r.push_back({"find", {{"sub"}, 1}, find});
  r.push_back({"rfind", {{"sub"}, 1}, rfind});
  r.push_back({"index", {{"x"}, 1}, index});
  r.push_back({"count", {{"x"}, 1}, count});
  r.push_back({"join", {{"iterable"}, 1}, join});
  r.push_back({"isdigit", {}, isdigit});
  r.push_back({"isalpha", {}, isalpha});
  r.push_back({"isalnum", {}, isalnum});
  r.push_back({"isspace", {}, isspace});
  r.push_back({"keys", {}, keys});
  r.push_back({"values", {}, values});
  r.push_back({"items", {}, items});
  r.push_back({"get", {{"key", "default"}, 1}, get});
}

}  // namespace fleetk8s::tmpl::detail
