// Tests (`x is name`): Jinja's type and comparison tests, and Ansible's
// task-result tests (failed, changed, skipped, ...) and set tests.
#include <unordered_set>

#include "builtin_util.h"
#include "collection_util.h"

namespace fleetk8s::tmpl::detail {
namespace {

// Tests that look only at the type also answer for undefined values
// (false), as Jinja's isinstance-based tests do.
const Value* defined_or_null(const Call& c) { return c.input.is_defined() ? &c.input.value() : nullptr; }

Result<bool> defined(Call& c) { return c.input.is_defined(); }
Result<bool> undefined(Call& c) { return !c.input.is_defined(); }
Result<bool> none(Call& c) { auto v = defined_or_null(c); return v && v->is_null(); }
Result<bool> boolean(Call& c) { auto v = defined_or_null(c); return v && v->is_bool(); }
Result<bool> is_true(Call& c) { auto v = defined_or_null(c); return v && v->is_bool() && v->as_bool(); }
Result<bool> is_false(Call& c) { auto v = defined_or_null(c); return v && v->is_bool() && !v->as_bool(); }
Result<bool> string(Call& c) { auto v = defined_or_null(c); return v && v->is_string(); }
Result<bool> mapping(Call& c) { auto v = defined_or_null(c); return v && v->is_object(); }
// Python's bools are numbers too.
Result<bool> number(Call& c) { auto v = defined_or_null(c); return v && (v->is_number() || v->is_bool()); }
Result<bool> integer(Call& c) { auto v = defined_or_null(c); return v && v->is_int(); }
Result<bool> float_(Call& c) { auto v = defined_or_null(c); return v && v->is_double(); }
// Anything with len() and [] : strings, lists and dicts.
Result<bool> sequence(Call& c) {
  auto v = defined_or_null(c);
  return v && (v->is_string() || v->is_array() || v->is_object());
}
Result<bool> iterable(Call& c) {
  const Value& v = c.input.value();
  return v.is_string() || v.is_array() || v.is_object();
}

Result<bool> compare_with(Call& c, bool (*holds)(int)) {
  auto r = py_compare(c.input.value(), *c.arg(0), "<");
  if (!r) return c.fail(r.error().message());
  return holds(*r);
}

Result<bool> eq(Call& c) { return py_equal(c.input.value(), *c.arg(0)); }
Result<bool> ne(Call& c) { return !py_equal(c.input.value(), *c.arg(0)); }
Result<bool> lt(Call& c) { return compare_with(c, [](int r) { return r < 0; }); }
Result<bool> le(Call& c) { return compare_with(c, [](int r) { return r <= 0; }); }
Result<bool> gt(Call& c) { return compare_with(c, [](int r) { return r > 0; }); }
Result<bool> ge(Call& c) { return compare_with(c, [](int r) { return r >= 0; }); }

Result<bool> in(Call& c) {
  auto r = py_contains(*c.arg(0), c.input.value());
  if (!r) return c.fail(r.error().message());
  return *r;
}

Result<bool> contains(Call& c) {
  auto r = py_contains(c.input.value(), *c.arg(0));
  if (!r) return c.fail(r.error().message());
  return *r;
}

Result<Value> remainder(Call& c, const Value& divisor) {
  auto r = arithmetic(BinaryOp::kMod, c.input.value(), divisor);
  if (!r) return c.fail(r.error().message());
  return r;
}

Result<bool> even(Call& c) {
  auto r = remainder(c, Value(2));
  if (!r) return r.error();
  return !truthy(*r);
}

Result<bool> odd(Call& c) {
  auto r = remainder(c, Value(2));
  if (!r) return r.error();
  return truthy(*r);
}

Result<bool> divisibleby(Call& c) {
  auto r = remainder(c, *c.arg(0));
  if (!r) return r.error();
  return !truthy(*r);
}

// str.islower() / isupper(): some cased letter, and none of the other case.
Result<bool> letter_case(Call& c, bool want_lower) {
  std::string s = py_str(c.input.value());
  bool cased = false;
  for (char ch : s) {
    bool lower = ch >= 'a' && ch <= 'z', upper = ch >= 'A' && ch <= 'Z';
    if ((want_lower && upper) || (!want_lower && lower)) return false;
    cased = cased || lower || upper;
  }
  return cased;
}
Result<bool> lower(Call& c) { return letter_case(c, true); }
Result<bool> upper(Call& c) { return letter_case(c, false); }

Result<bool> all_or_any(Call& c, bool all) {
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  for (const auto& item : items->items()) {
    if (truthy(item) != all) return !all;
  }
  return all;
}
Result<bool> all(Call& c) { return all_or_any(c, true); }
Result<bool> any(Call& c) { return all_or_any(c, false); }

Result<bool> subset_of(Call& c, const Value& small, const Value& big) {
  auto a = iterate(small);
  if (!a) return c.fail(a.error().message());
  auto b = iterate(big);
  if (!b) return c.fail(b.error().message());
  std::unordered_set<std::string> keys;
  for (const auto& item : b->items()) keys.insert(canonical_key(item));
  for (const auto& item : a->items()) {
    if (!keys.count(canonical_key(item))) return false;
  }
  return true;
}
Result<bool> subset(Call& c) { return subset_of(c, c.input.value(), *c.arg(0)); }
Result<bool> superset(Call& c) { return subset_of(c, *c.arg(0), c.input.value()); }

// Ansible's truthy(value, convert_bool=False).
Result<bool> truthy_test(Call& c) {
  const Value& v = c.input.value();
  if (bool_arg(c, 0) && v.is_string()) {
    std::string s = ascii_lower(v.as_string());
    if (s == "yes" || s == "on" || s == "1" || s == "true") return true;
    if (s == "no" || s == "off" || s == "0" || s == "false") return false;
  }
  return truthy(v);
}
Result<bool> falsy_test(Call& c) {
  auto r = truthy_test(c);
  if (!r) return r;
  return !*r;
}

// Task results: `result is failed` reads result.failed, and so on.
Result<const Value::Object*> task_result(const Call& c) {
  if (!c.input.value().is_object()) {
    return c.fail(std::string("The '") + std::string(c.name) + "' test expects a dictionary");
  }
  return &c.input.value().as_object();
}

bool flag(const Value::Object& result, const char* key) {
  auto it = result.find(key);
  return it != result.end() && truthy(it->second);
}

Result<bool> failed(Call& c) {
  auto r = task_result(c);
  if (!r) return r.error();
  return flag(**r, "failed");
}
Result<bool> succeeded(Call& c) {
  auto r = failed(c);
  if (!r) return r;
  return !*r;
}
Result<bool> skipped(Call& c) {
  auto r = task_result(c);
  if (!r) return r.error();
  return flag(**r, "skipped");
}
Result<bool> unreachable(Call& c) {
  auto r = task_result(c);
  if (!r) return r.error();
  return flag(**r, "unreachable");
}
Result<bool> reachable(Call& c) {
  auto r = unreachable(c);
  if (!r) return r;
  return !*r;
}
// Without a `changed` key, a loop's result is changed if any item is.
Result<bool> changed(Call& c) {
  auto r = task_result(c);
  if (!r) return r.error();
  const Value::Object& result = **r;
  if (result.count("changed")) return flag(result, "changed");
  auto results = result.find("results");
  if (results == result.end() || !results->second.is_array()) return false;
  for (const auto& item : results->second.as_array()) {
    if (item.is_object() && flag(item.as_object(), "changed")) return true;
  }
  return false;
}

}  // namespace

void register_tests(Registry& r) {
  auto type_test = [&](std::string_view name, TestFn fn) { r.push_back({name, {}, nullptr, fn, true}); };
  type_test("defined", defined);
  type_test("undefined", undefined);
  type_test("none", none);
  type_test("boolean", boolean);
  type_test("true", is_true);
  type_test("false", is_false);
  type_test("string", string);
  type_test("mapping", mapping);
  type_test("number", number);
  type_test("integer", integer);
  type_test("float", float_);
  type_test("sequence", sequence);
  r.push_back({"iterable", {}, nullptr, iterable});
  const Signature one{{"other"}, 1};
  for (auto name : {"eq", "equalto", "=="}) r.push_back({name, one, nullptr, eq});
  for (auto name : {"ne", "!="}) r.push_back({name, one, nullptr, ne});
  for (auto name : {"lt", "lessthan", "<"}) r.push_back({name, one, nullptr, lt});
  for (auto name : {"le", "<="}) r.push_back({name, one, nullptr, le});
  for (auto name : {"gt", "greaterthan", ">"}) r.push_back({name, one, nullptr, gt});
  for (auto name : {"ge", ">="}) r.push_back({name, one, nullptr, ge});
  r.push_back({"in", {{"seq"}, 1}, nullptr, in});
  r.push_back({"contains", {{"value"}, 1}, nullptr, contains});
  r.push_back({"even", {}, nullptr, even});
  r.push_back({"odd", {}, nullptr, odd});
  r.push_back({"divisibleby", {{"num"}, 1}, nullptr, divisibleby});
  r.push_back({"lower", {}, nullptr, lower});
  r.push_back({"upper", {}, nullptr, upper});
  r.push_back({"all", {}, nullptr, all});
  r.push_back({"any", {}, nullptr, any});
  r.push_back({"subset", {{"superset"}, 1}, nullptr, subset});
  r.push_back({"superset", {{"subset"}, 1}, nullptr, superset});
  r.push_back({"truthy", {{"convert_bool"}}, nullptr, truthy_test});
  r.push_back({"falsy", {{"convert_bool"}}, nullptr, falsy_test});
  for (auto name : {"failed", "failure"}) r.push_back({name, {}, nullptr, failed});
  for (auto name : {"succeeded", "success", "successful"}) r.push_back({name, {}, nullptr, succeeded});
  for (auto name : {"changed", "change"}) r.push_back({name, {}, nullptr, changed});
  for (auto name : {"skipped", "skip"}) r.push_back({name, {}, nullptr, skipped});
  r.push_back({"unreachable", {}, nullptr, unreachable});
  r.push_back({"reachable", {}, nullptr, reachable});
}

}  // namespace fleetk8s::tmpl::detail
