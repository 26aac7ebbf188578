// Regular expressions, with Python's `re` semantics (see py_regex.h):
// filters regex_search, regex_replace, regex_findall, regex_escape and
// tests match, search, regex.
#include <cstring>

#include "builtin_util.h"
#include "deep_stack.h"
#include "py_regex.h"

namespace fleetk8s::tmpl::detail {
namespace {

// The value as Ansible's to_text(nonstring='simplerepr') makes it.
std::string subject(const Call& c) { return py_str(c.input.value()); }

Result<std::shared_ptr<const PyRegex>> compile(const Call& c, size_t pattern_at, size_t ignorecase_at,
                                               size_t multiline_at) {
  auto pattern = string_arg(c, pattern_at);
  if (!pattern) return pattern.error();
  auto re = compile_py_regex(*pattern, {bool_arg(c, ignorecase_at), bool_arg(c, multiline_at)});
  if (!re) return c.fail(re.error().message());
  return re;
}

// regex_search(regex, '\\1', '\\g<name>', ignorecase=, multiline=): the
// match, or the listed groups, or None without a match.
Result<Operand> regex_search(Call& c) {
  auto re = compile(c, 0, 1, 2);
  if (!re) return re.error();
  std::vector<std::string> refs;
  for (const auto& arg : c.rest) {
    const Value& v = arg.value();
    if (!v.is_string() || v.as_string().size() < 2 || v.as_string()[0] != '\\') return c.fail("Unknown argument");
    const std::string& s = v.as_string();
    if (s[1] == 'g') {
      if (s.size() < 5 || s[2] != '<' || s.back() != '>') return c.fail("Unknown argument");
      refs.push_back(s.substr(3, s.size() - 4));
    } else {
      refs.push_back(s.substr(1));
    }
  }
  std::string text = subject(c);
  auto m = py_search(**re, text, false);
  if (!m) return own(Value());
  if (refs.empty()) return own(Value(m->str(0)));
  Value::Array groups;
  for (const auto& ref : refs) {
    auto n = group_number(**re, ref);
    if (!n) return c.fail("no such group: " + ref);
    groups.emplace_back((*m)[*n].matched ? Value((*m)[*n].str()) : Value());
  }
  return own(Value(std::move(groups)));
}

Result<Operand> regex_replace(Call& c) {
  auto re = compile(c, 0, 2, 3);
  if (!re) return re.error();
  auto replacement = string_arg(c, 1);
  if (!replacement) return replacement.error();
  auto count = int_arg(c, 4, 0);
  if (!count) return count.error();
  auto out = py_sub(**re, *replacement, subject(c), *count);
  if (!out) return c.fail(out.error().message());
  return own(Value(std::move(*out)));
}

Result<Operand> regex_findall(Call& c) {
  auto re = compile(c, 0, 2, 1);
  if (!re) return re.error();
  return own(Value(py_findall(**re, subject(c))));
}

// Python's re.escape, or the POSIX basic flavour.
Result<Operand> regex_escape(Call& c) {
  auto flavour = string_arg(c, 0, "python");
  if (!flavour) return flavour.error();
  const char* special;
  if (*flavour == "python") special = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
  else if (*flavour == "posix_basic") special = "].[^$*\\";
  else return c.fail("Invalid regex type (" + *flavour + ")");
  std::string out;
  for (char ch : subject(c)) {
    if (ch != '\0' && std::strchr(special, ch)) out += '\\';
    out += ch;
  }
  return own(Value(std::move(out)));
}

Result<bool> regex_test(Call& c, bool anchored) {
  auto re = compile(c, 0, 1, 2);
  if (!re) return re.error();
  return py_search(**re, subject(c), anchored).has_value();
}

Result<bool> match(Call& c) { return regex_test(c, true); }
Result<bool> search(Call& c) { return regex_test(c, false); }

Result<bool> regex(Call& c) {
  auto type = string_arg(c, 3, "search");
  if (!type) return type.error();
  if (*type != "search" && *type != "match" && *type != "fullmatch") {
    return c.fail("match_type must be search, match or fullmatch");
  }
  auto re = compile(c, 0, 1, 2);
  if (!re) return re.error();
  std::string text = subject(c);
  if (*type == "fullmatch") return std::regex_match(text, (*re)->re);
  return py_search(**re, text, *type == "match").has_value();
}

// std::regex's matcher recurses about once per character of the text, so
// a long text (a host's command output) would overflow the stack: past
// kShortText it is matched on a thread whose stack is sized for it, and
// past kMaxText it is an error. About 200 bytes of stack per character
// were measured; kStackPerByte leaves room for sanitizer builds.
constexpr size_t kShortText = 2048;
constexpr size_t kMaxText = size_t{4} << 20;
constexpr size_t kStackPerByte = 2048;

template <class R, R (*F)(Call&)>
R on_deep_stack(Call& c) {
  if (!c.input.is_defined()) return F(c);
  size_t size = c.input.value().is_string() ? c.input.value().as_string().size() : subject(c).size();
  if (size <= kShortText) return F(c);
  if (size > kMaxText) {
    return c.fail("text too long for regular expressions (" + std::to_string(size) + " bytes, at most " +
                  std::to_string(kMaxText) + ")");
  }
  std::optional<R> result;
  if (!run_on_stack((size_t{8} << 20) + size * kStackPerByte, [&] { result.emplace(F(c)); })) {
    return c.fail("cannot start a thread to match a long text");
  }
  return std::move(*result);
}

}  // namespace

void register_regex_filters(Registry& r) {
  r.push_back({"regex_search", {{"regex", "ignorecase", "multiline"}, 1, 1, true},
               on_deep_stack<Result<Operand>, regex_search>});
  r.push_back({"regex_replace", {{"pattern", "replacement", "ignorecase", "multiline", "count"}},
               on_deep_stack<Result<Operand>, regex_replace>});
  r.push_back({"regex_findall", {{"regex", "multiline", "ignorecase"}, 1}, on_deep_stack<Result<Operand>, regex_findall>});
  r.push_back({"regex_escape", {{"re_type"}}, regex_escape});
}

void register_regex_tests(Registry& r) {
  r.push_back({"match", {{"pattern", "ignorecase", "multiline"}}, nullptr, on_deep_stack<Result<bool>, match>});
  r.push_back({"search", {{"pattern", "ignorecase", "multiline"}}, nullptr, on_deep_stack<Result<bool>, search>});
  r.push_back({"regex", {{"pattern", "ignorecase", "multiline", "match_type"}}, nullptr,
               on_deep_stack<Result<bool>, regex>});
}

}  // namespace fleetk8s::tmpl::detail
