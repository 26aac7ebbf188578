// String filters: lower, upper, capitalize, title, trim, replace, split,
// join, string, indent, format, quote.
#include <cctype>
#include <cstring>

#include "builtin_util.h"
#include "access.h"
#include "utf8.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {
namespace {

bool is_py_space(char c) { return std::strchr(" \t\n\r\v\f\x1c\x1d\x1e\x1f", c) != nullptr && c != '\0'; }

Result<Operand> lower(Call& c) { return own(Value(ascii_lower(py_str(c.input.value())))); }
Result<Operand> upper(Call& c) { return own(Value(ascii_upper(py_str(c.input.value())))); }

Result<Operand> capitalize(Call& c) {
  std::string s = ascii_lower(py_str(c.input.value()));
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return own(Value(std::move(s)));
}

// Jinja's title: a word starts after whitespace or one of -({[<.
Result<Operand> title(Call& c) {
  std::string s = py_str(c.input.value());
  bool word_start = true;
  for (auto& ch : s) {
    if (std::isalpha(static_cast<unsigned char>(ch)) && static_cast<unsigned char>(ch) < 0x80) {
      ch = static_cast<char>(word_start ? std::toupper(ch) : std::tolower(ch));
    }
    word_start = is_py_space(ch) || std::strchr("-({[<", ch) != nullptr;
  }
  return own(Value(std::move(s)));
}

Result<Operand> trim(Call& c) {
  std::string s = py_str(c.input.value());
  auto chars = string_arg(c, 0);
  if (!chars) return chars.error();
  bool whitespace = !c.arg(0) || c.arg(0)->is_null();
  auto strip = [&](char ch) { return whitespace ? is_py_space(ch) : chars->find(ch) != std::string::npos; };
  size_t begin = 0, end = s.size();
  while (begin < end && strip(s[begin])) ++begin;
  while (end > begin && strip(s[end - 1])) --end;
  return own(Value(s.substr(begin, end - begin)));
}

Result<Operand> replace(Call& c) {
  std::string s = py_str(c.input.value());
  std::string from = py_str(*c.arg(0));
  std::string to = py_str(*c.arg(1));
  auto count = int_arg(c, 2, -1);
  if (!count) return count.error();
  std::string out;
  std::int64_t done = 0;
  if (from.empty()) {  // Python inserts `to` around every character
    auto chars = utf8_chars(s);
    for (size_t i = 0; i <= chars.size(); ++i) {
      if (*count < 0 || done < *count) {
        out += to;
        ++done;
      }
      if (i < chars.size()) out += chars[i];
    }
    return own(Value(std::move(out)));
  }
  size_t pos = 0;
  for (;;) {
    size_t hit = s.find(from, pos);
    if (hit == std::string::npos || (*count >= 0 && done >= *count)) break;
    out.append(s, pos, hit - pos);
    out += to;
    pos = hit + from.size();
    ++done;
  }
  out.append(s, pos, std::string::npos);
  return own(Value(std::move(out)));
}

// Python's str.split(sep=None, maxsplit=-1).
Result<Operand> split(Call& c) {
  std::string s = py_str(c.input.value());
  auto max = int_arg(c, 1, -1);
  if (!max) return max.error();
  Value::Array parts;
  const Value* sep = c.arg(0);
  if (!sep || sep->is_null()) {
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && is_py_space(s[i])) ++i;
      if (i == s.size()) break;
      if (*max >= 0 && static_cast<std::int64_t>(parts.size()) == *max) {
        parts.emplace_back(s.substr(i));  // the rest, trailing whitespace included
        break;
      }
      size_t start = i;
      while (i < s.size() && !is_py_space(s[i])) ++i;
      parts.emplace_back(s.substr(start, i - start));
    }
    return own(Value(std::move(parts)));
  }
  if (!sep->is_string()) return wrong_type(c, "a string separator", *sep);
  const std::string& d = sep->as_string();
  if (d.empty()) return c.fail("empty separator");
  size_t pos = 0;
  for (;;) {
    size_t hit = s.find(d, pos);
    if (hit == std::string::npos || (*max >= 0 && static_cast<std::int64_t>(parts.size()) == *max)) break;
    parts.emplace_back(s.substr(pos, hit - pos));
    pos = hit + d.size();
  }
  parts.emplace_back(s.substr(pos));
  return own(Value(std::move(parts)));
}

Result<Operand> join(Call& c) {
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  auto glue = c.arg(0) ? py_str(*c.arg(0)) : std::string();
  const Value* attribute = c.arg(1);
  std::string out;
  bool first = true;
  for (const auto& item : items->items()) {
    if (!first) out += glue;
    first = false;
    if (attribute) {
      Operand v = get_by_attribute(Operand::borrow(item), *attribute);
      if (!v.is_defined()) return c.fail(v.undefined().message);
      out += py_str(v.value());
    } else {
      out += py_str(item);
    }
  }
  return own(Value(std::move(out)));
}

Result<Operand> string(Call& c) { return own(Value(py_str(c.input.value()))); }

// Python's str.splitlines(), which Jinja's indent uses.
std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f' || ch == '\x1c' || ch == '\x1d' || ch == '\x1e') {
      lines.push_back(s.substr(start, i - start));
      if (ch == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < s.size()) lines.push_back(s.substr(start));
  return lines;
}

Result<Operand> indent(Call& c) {
  std::string indentation;
  const Value* width = c.arg(0);
  if (width && width->is_string()) {
    indentation = width->as_string();
  } else {
    auto n = int_arg(c, 0, 4);
    if (!n) return n.error();
    if (*n > static_cast<std::int64_t>(kMaxBuiltString)) return c.fail("width too big");
    indentation.assign(static_cast<size_t>(*n < 0 ? 0 : *n), ' ');
  }
  bool first = bool_arg(c, 1), blank = bool_arg(c, 2);
  auto lines = split_lines(py_str(c.input.value()) + "\n");
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      out += '\n';
      if (blank || !lines[i].empty()) out += indentation;
    }
    out += lines[i];
    if (out.size() > kMaxBuiltString) return c.fail("result too long (more than " + std::to_string(kMaxBuiltString) + " bytes)");
  }
  if (first) out = indentation + out;
  return own(Value(std::move(out)));
}

Result<Operand> format(Call& c) {
  std::vector<const Value*> args;
  for (const auto& a : c.rest) args.push_back(&a.value());
  auto text = py_format(py_str(c.input.value()), args, nullptr);
  if (!text) return c.fail(text.error().message());
  return own(Value(std::move(*text)));
}

// Python's shlex.quote.
Result<Operand> quote(Call& c) {
  const Value& v = c.input.value();
  std::string s = v.is_null() ? "" : py_str(v);
  if (s.empty()) return own(Value("''"));
  bool safe = true;
  for (char ch : s) {
    bool word = std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
    if (!(word && static_cast<unsigned char>(ch) < 0x80) && !std::strchr("@%+=:,./-", ch)) safe = false;
  }
  if (safe) return own(Value(s));
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\"'\"'") : std::string(1, ch);
  return own(Value(out + "'"));
}

}  // namespace

void register_text_filters(Registry& r) {
  r.push_back({"lower", {}, lower});
  r.push_back({"upper", {}, upper});
  r.push_back({"capitalize", {}, capitalize});
  r.push_back({"title", {}, title});
  r.push_back({"trim", {{"chars"}}, trim});
  r.push_back({"replace", {{"old", "new", "count"}, 2}, replace});
  r.push_back({"split", {{"sep", "maxsplit"}}, split});
  r.push_back({"join", {{"d", "attribute"}}, join});
  r.push_back({"string", {}, string});
  r.push_back({"indent", {{"width", "first", "blank"}}, indent});
  r.push_back({"format", {{}, 0, 0, true}, format});
  r.push_back({"quote", {}, quote});
}

}  // namespace fleetk8s::tmpl::detail
