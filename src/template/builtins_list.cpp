// List filters: length/count, first, last, unique, sort, reverse, list,
// min, max, sum, flatten, union, intersect, difference,
// symmetric_difference, zip.
#include <algorithm>
#include <optional>
#include <unordered_set>

#include "access.h"
#include "builtin_util.h"
#include "collection_util.h"
#include "utf8.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {
namespace {

Result<Operand> length(Call& c) {
  const Value& v = c.input.value();
  if (v.is_string()) return own(Value(static_cast<std::int64_t>(utf8_length(v.as_string()))));
  if (v.is_array()) return own(Value(static_cast<std::int64_t>(v.as_array().size())));
  if (v.is_object()) return own(Value(static_cast<std::int64_t>(v.as_object().size())));
  return c.fail(std::string("object of type '") + py_type_name(v) + "' has no len()");
}

Result<Operand> first(Call& c) {
  const Value& v = c.input.value();
  if (v.is_array()) {
    if (v.as_array().empty()) return Operand::undefined({"No first item, sequence was empty.", ""});
    return std::move(c.input).narrow_to(v.as_array().front());
  }
  auto items = iterate(v);
  if (!items) return c.fail(items.error().message());
  if (items->items().empty()) return Operand::undefined({"No first item, sequence was empty.", ""});
  return own(items->items().front());
}

Result<Operand> last(Call& c) {
  const Value& v = c.input.value();
  if (v.is_array()) {
    if (v.as_array().empty()) return Operand::undefined({"No last item, sequence was empty.", ""});
    return std::move(c.input).narrow_to(v.as_array().back());
  }
  auto items = iterate(v);
  if (!items) return c.fail(items.error().message());
  if (items->items().empty()) return Operand::undefined({"No last item, sequence was empty.", ""});
  return own(items->items().back());
}

Result<Operand> list(Call& c) {
  if (c.input.value().is_array()) return std::move(c.input);
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  return own(Value(items->items()));
}

Result<Operand> reverse(Call& c) {
  const Value& v = c.input.value();
  if (v.is_string()) {
    auto chars = utf8_chars(v.as_string());
    std::string out;
    for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
    return own(Value(std::move(out)));
  }
  auto items = iterate(v);
  if (!items) return c.fail("argument must be iterable");
  Value::Array out(items->items().rbegin(), items->items().rend());
  return own(Value(std::move(out)));
}

// The sort key of an item: its attribute(s), strings lower-cased unless
// case-sensitive. Jinja's make_multi_attrgetter: "a,b" is two keys.
Result<Value> sort_key(const Call& c, const Value& item, const Value* attribute, bool case_sensitive) {
  auto fold = [&](Value v) {
    if (!case_sensitive && v.is_string()) return Value(ascii_lower(v.as_string()));
    return v;
  };
  if (!attribute || attribute->is_null()) return fold(item);
  if (attribute->is_string() && attribute->as_string().find(',') != std::string::npos) {
    Value::Array keys;
    const std::string& spec = attribute->as_string();
    size_t start = 0;
    for (;;) {
      size_t comma = spec.find(',', start);
      std::string part = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      Operand v = get_by_attribute(Operand::borrow(item), Value(part));
      if (!v.is_defined()) return c.fail(v.undefined().message);
      keys.push_back(fold(std::move(v).take()));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return Value(std::move(keys));
  }
  Operand v = get_by_attribute(Operand::borrow(item), *attribute);
  if (!v.is_defined()) return c.fail(v.undefined().message);
  return fold(std::move(v).take());
}

// Items paired with their keys, sorted stably (reverse keeps the order of
// equal items, as Python's sorted(reverse=True) does).
Result<Value::Array> sorted(const Call& c, const Value::Array& items, const Value* attribute, bool case_sensitive,
                            bool descending) {
  std::vector<std::pair<Value, size_t>> keyed;
  keyed.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    auto key = sort_key(c, items[i], attribute, case_sensitive);
    if (!key) return key.error();
    keyed.emplace_back(std::move(*key), i);
  }
  std::optional<Error> failure;
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (failure) return false;
    auto r = descending ? py_compare(b.first, a.first, "<") : py_compare(a.first, b.first, "<");
    if (!r) {
      failure = r.error();
      return false;
    }
    return *r < 0;
  });
  if (failure) return c.fail(failure->message());
  Value::Array out;
  out.reserve(items.size());
  for (const auto& [key, index] : keyed) out.push_back(items[index]);
  return out;
}

Result<Operand> sort(Call& c) {
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  auto out = sorted(c, items->items(), c.arg(2), bool_arg(c, 1), bool_arg(c, 0));
  if (!out) return out.error();
  return own(Value(std::move(*out)));
}

Result<Operand> unique(Call& c) {
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  bool ignore_case = !bool_arg(c, 0);
  const Value* attribute = c.arg(1);
  if (!attribute) return own(Value(unique_items(items->items(), ignore_case)));
  std::unordered_set<std::string> seen;
  Value::Array out;
  for (const auto& item : items->items()) {
    Operand key = get_by_attribute(Operand::borrow(item), *attribute);
    if (!key.is_defined()) return c.fail(key.undefined().message);
    if (seen.insert(canonical_key(key.value(), ignore_case)).second) out.push_back(item);
  }
  return own(Value(std::move(out)));
}

// min / max: Jinja's, with case-insensitive strings by default.
Result<Operand> extreme(Call& c, bool want_max) {
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  if (items->items().empty()) return Operand::undefined({"No aggregated item, sequence was empty.", ""});
  const Value* attribute = c.arg(1);
  bool case_sensitive = bool_arg(c, 0);
  size_t best = 0;
  auto best_key = sort_key(c, items->items()[0], attribute, case_sensitive);
  if (!best_key) return best_key.error();
  for (size_t i = 1; i < items->items().size(); ++i) {
    auto key = sort_key(c, items->items()[i], attribute, case_sensitive);
    if (!key) return key.error();
    auto cmp = py_compare(*key, *best_key, want_max ? ">" : "<");
    if (!cmp) return c.fail(cmp.error().message());
    if (want_max ? *cmp > 0 : *cmp < 0) {
      best = i;
      best_key = std::move(key);
    }
  }
  return own(items->items()[best]);
}

Result<Operand> min(Call& c) { return extreme(c, false); }
Result<Operand> max(Call& c) { return extreme(c, true); }

Result<Operand> sum(Call& c) {
  auto items = iterate(c.input.value());
  if (!items) return c.fail(items.error().message());
  Value total = c.arg(1) ? *c.arg(1) : Value(std::int64_t{0});
  const Value* attribute = c.arg(0);
  for (const auto& item : items->items()) {
    Operand part = Operand::borrow(item);
    if (attribute) {
      part = get_by_attribute(std::move(part), *attribute);
      if (!part.is_defined()) return c.fail(part.undefined().message);
    }
    if (total.is_string() || part.value().is_string()) {
      return c.fail("cannot sum strings, use join instead");
    }
    auto next = arithmetic(BinaryOp::kAdd, total, part.value());
    if (!next) return c.fail(next.error().message());
    total = std::move(*next);
  }
  return own(std::move(total));
}

// Ansible's flatten: nested lists spliced in, None / 'None' / 'null'
// dropped unless skip_nulls is false.
void flatten_into(Value::Array& out, const Value::Array& items, std::int64_t levels, bool skip_nulls) {
  for (const auto& item : items) {
    if (skip_nulls && (item.is_null() || (item.is_string() && (item.as_string() == "None" || item.as_string() == "null")))) {
      continue;
    }
    if (item.is_array() && levels != 0) {
      flatten_into(out, item.as_array(), levels < 0 ? -1 : levels - 1, skip_nulls);
    } else {
      out.push_back(item);
    }
  }
}

Result<Operand> flatten(Call& c) {
  if (!c.input.value().is_array()) return wrong_type(c, "a list", c.input.value());
  auto levels = int_arg(c, 0, -1);
  if (!levels) return levels.error();
  Value::Array out;
  flatten_into(out, c.input.value().as_array(), *levels, bool_arg(c, 1, true));
  return own(Value(std::move(out)));
}

// The input and the argument as lists, for the set-theory filters.
Result<std::pair<Iteration, Iteration>> two_lists(const Call& c) {
  auto a = iterate(c.input.value());
  if (!a) return c.fail(a.error().message());
  auto b = iterate(*c.arg(0));
  if (!b) return c.fail(b.error().message());
  return std::make_pair(std::move(*a), std::move(*b));
}

std::unordered_set<std::string> keys_of(const Value::Array& items) {
  std::unordered_set<std::string> keys;
  for (const auto& item : items) keys.insert(canonical_key(item));
  return keys;
}

Result<Operand> filter_by_membership(Call& c, bool keep_members) {
  auto lists = two_lists(c);
  if (!lists) return lists.error();
  auto keys = keys_of(lists->second.items());
  Value::Array out;
  for (const auto& item : lists->first.items()) {
    if ((keys.count(canonical_key(item)) > 0) == keep_members) out.push_back(item);
  }
  return own(Value(unique_items(out)));
}

Result<Operand> intersect(Call& c) { return filter_by_membership(c, true); }
Result<Operand> difference(Call& c) { return filter_by_membership(c, false); }

Result<Operand> union_(Call& c) {
  auto lists = two_lists(c);
  if (!lists) return lists.error();
  Value::Array all = lists->first.items();
  all.insert(all.end(), lists->second.items().begin(), lists->second.items().end());
  return own(Value(unique_items(all)));
}

Result<Operand> symmetric_difference(Call& c) {
  auto lists = two_lists(c);
  if (!lists) return lists.error();
  auto in_a = keys_of(lists->first.items());
  auto in_b = keys_of(lists->second.items());
  Value::Array all = lists->first.items();
  all.insert(all.end(), lists->second.items().begin(), lists->second.items().end());
  Value::Array out;
  for (auto& item : unique_items(all)) {
    auto key = canonical_key(item);
    if (!(in_a.count(key) && in_b.count(key))) out.push_back(std::move(item));
  }
  return own(Value(std::move(out)));
}

Result<Operand> zip(Call& c) {
  std::vector<Iteration> lists;
  auto first = iterate(c.input.value());
  if (!first) return c.fail(first.error().message());
  lists.push_back(std::move(*first));
  for (const auto& other : c.rest) {
    auto items = iterate(other.value());
    if (!items) return c.fail(items.error().message());
    lists.push_back(std::move(*items));
  }
  size_t n = lists[0].items().size();
  for (const auto& l : lists) n = std::min(n, l.items().size());
  Value::Array out;
  for (size_t i = 0; i < n; ++i) {
    Value::Array row;
    for (const auto& l : lists) row.push_back(l.items()[i]);
    out.emplace_back(std::move(row));
  }
  return own(Value(std::move(out)));
}

}  // namespace

void register_list_filters(Registry& r) {
  r.push_back({"length", {}, length});
  r.push_back({"count", {}, length});
  r.push_back({"first", {}, first});
  r.push_back({"last", {}, last});
  r.push_back({"list", {}, list});
  r.push_back({"reverse", {}, reverse});
  r.push_back({"sort", {{"reverse", "case_sensitive", "attribute"}}, sort});
  r.push_back({"unique", {{"case_sensitive", "attribute"}}, unique});
  r.push_back({"min", {{"case_sensitive", "attribute"}}, min});
  r.push_back({"max", {{"case_sensitive", "attribute"}}, max});
  r.push_back({"sum", {{"attribute", "start"}}, sum});
  r.push_back({"flatten", {{"levels", "skip_nulls"}}, flatten});
  r.push_back({"intersect", {{"other"}, 1}, intersect});
  r.push_back({"difference", {{"other"}, 1}, difference});
  r.push_back({"union", {{"other"}, 1}, union_});
  r.push_back({"symmetric_difference", {{"other"}, 1}, symmetric_difference});
  r.push_back({"zip", {{}, 0, 0, true}, zip});
}

}  // namespace fleetk8s::tmpl::detail
