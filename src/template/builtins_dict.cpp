// Dict filters: dict2items, items2dict, items, dictsort, combine, extract.
#include <algorithm>
#include "fleetk8s/core/strings.h"
#include <cctype>

#include "access.h"
#include "builtin_util.h"
#include "collection_util.h"
#include "value_ops.h"

namespace fleetk8s::tmpl::detail {
namespace {

Result<Operand> dict2items(Call& c) {
  const Value& v = c.input.value();
  if (!v.is_object()) return c.fail(std::string("requires a dictionary, got ") + py_type_name(v) + " instead");
  auto key_name = string_arg(c, 0, "key");
  if (!key_name) return key_name.error();
  auto value_name = string_arg(c, 1, "value");
  if (!value_name) return value_name.error();
  Value::Array out;
  for (const auto& [key, member] : v.as_object()) {
    Value::Object entry;
    entry[*key_name] = Value(key);
    entry[*value_name] = member;
    out.emplace_back(std::move(entry));
  }
  return own(Value(std::move(out)));
}

Result<Operand> items2dict(Call& c) {
  const Value& v = c.input.value();
  if (!v.is_array()) return c.fail(std::string("requires a list, got ") + py_type_name(v) + " instead");
  auto key_name = string_arg(c, 0, "key");
  if (!key_name) return key_name.error();
  auto value_name = string_arg(c, 1, "value");
  if (!value_name) return value_name.error();
  Value::Object out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) return c.fail("requires a list of dictionaries, got " + py_repr(v) + " instead");
    const Value* key = item.find(*key_name);
    const Value* value = item.find(*value_name);
    if (!key || !value) {
      return c.fail("requires each dictionary in the list to contain the keys '" + *key_name + "' and '" +
                    *value_name + "', got " + py_repr(v) + " instead");
    }
    out[key->is_string() ? key->as_string() : py_str(*key)] = *value;
  }
  return own(Value(std::move(out)));
}

// Jinja's items filter: a dict's (key, value) pairs.
Result<Operand> items(Call& c) {
  const Value& v = c.input.value();
  if (!v.is_object()) return c.fail(std::string("can only get item pairs from a mapping, not ") + py_type_name(v));
  Value::Array out;
  for (const auto& [key, member] : v.as_object()) out.emplace_back(Value::Array{Value(key), member});
  return own(Value(std::move(out)));
}

// Jinja's dictsort(case_sensitive=False, by='key', reverse=False): the
// (key, value) pairs sorted by key, or by value.
Result<Operand> dictsort(Call& c) {
  const Value& v = c.input.value();
  if (!v.is_object()) return c.fail(std::string("can only sort a mapping, not ") + py_type_name(v));
  const bool case_sensitive = bool_arg(c, 0, false);
  auto by = string_arg(c, 1, "key");
  if (!by) return by.error();
  if (*by != "key" && *by != "value") return c.fail("You can only sort by either 'key' or 'value'");
  const bool reverse = bool_arg(c, 2, false);
  std::vector<std::pair<std::string, Value>> pairs(v.as_object().begin(), v.as_object().end());
  auto sort_key = [&](const std::pair<std::string, Value>& p) {
    if (*by == "key") return case_sensitive ? p.first : to_lower(p.first);
    const std::string s = p.second.is_string() ? p.second.as_string() : py_str(p.second);
    return case_sensitive || !p.second.is_string() ? s : to_lower(s);
  };
  std::stable_sort(pairs.begin(), pairs.end(), [&](const auto& a, const auto& b) {
    if (*by == "value" && a.second.is_number() && b.second.is_number()) return a.second.as_double() < b.second.as_double();
    return sort_key(a) < sort_key(b);
  });
  if (reverse) std::reverse(pairs.begin(), pairs.end());
  Value::Array out;
  for (auto& [key, member] : pairs) out.emplace_back(Value::Array{Value(key), std::move(member)});
  return own(Value(std::move(out)));
}

enum class ListMerge { kReplace, kKeep, kAppend, kPrepend, kAppendRp, kPrependRp };

// Ansible's merge_hash: `high` wins over `low`.
Value merge(const Value& low, const Value& high, bool recursive, ListMerge lists) {
  Value::Object out = low.as_object();
  for (const auto& [key, value] : high.as_object()) {
    auto it = out.find(key);
    if (it == out.end()) {
      out.emplace(key, value);
      continue;
    }
    Value& mine = it->second;
    if (mine.is_object() && value.is_object()) {
      mine = recursive ? merge(mine, value, recursive, lists) : value;
    } else if (mine.is_array() && value.is_array()) {
      Value::Array merged;
      const auto& x = mine.as_array();
      const auto& y = value.as_array();
      auto without = [](const Value::Array& from, const Value::Array& drop) {
        Value::Array kept;
        for (const auto& item : from) {
          bool found = false;
          for (const auto& d : drop) found = found || py_equal(item, d);
          if (!found) kept.push_back(item);
        }
        return kept;
      };
      switch (lists) {
        case ListMerge::kReplace: merged = y; break;
        case ListMerge::kKeep: merged = x; break;
        case ListMerge::kAppend: merged = x; merged.insert(merged.end(), y.begin(), y.end()); break;
        case ListMerge::kPrepend: merged = y; merged.insert(merged.end(), x.begin(), x.end()); break;
        case ListMerge::kAppendRp: merged = without(x, y); merged.insert(merged.end(), y.begin(), y.end()); break;
        case ListMerge::kPrependRp: {
          merged = y;
          auto rest = without(x, y);
          merged.insert(merged.end(), rest.begin(), rest.end());
          break;
        }
      }
      mine = Value(std::move(merged));
    } else {
      mine = value;
    }
  }
  return Value(std::move(out));
}

Result<Operand> combine(Call& c) {
  std::vector<const Value*> dicts;
  auto add = [&](const Value& term) -> Result<void> {
    // [dict1, dict2] | combine: lists are flattened one level.
    if (term.is_array()) {
      for (const auto& item : term.as_array()) {
        if (!item.is_object()) return wrong_type(c, "dictionaries", item);
        dicts.push_back(&item);
      }
      return {};
    }
    if (!term.is_object()) return wrong_type(c, "dictionaries", term);
    dicts.push_back(&term);
    return {};
  };
  if (auto r = add(c.input.value()); !r) return r.error();
  for (const auto& term : c.rest) {
    if (auto r = add(term.value()); !r) return r.error();
  }
  bool recursive = bool_arg(c, 0);
  auto mode = string_arg(c, 1, "replace");
  if (!mode) return mode.error();
  ListMerge lists;
  if (*mode == "replace") lists = ListMerge::kReplace;
  else if (*mode == "keep") lists = ListMerge::kKeep;
  else if (*mode == "append") lists = ListMerge::kAppend;
  else if (*mode == "prepend") lists = ListMerge::kPrepend;
  else if (*mode == "append_rp") lists = ListMerge::kAppendRp;
  else if (*mode == "prepend_rp") lists = ListMerge::kPrependRp;
  else return c.fail("list_merge must be one of replace, keep, append, prepend, append_rp, prepend_rp");
  if (dicts.empty()) return own(Value(Value::Object{}));
  Value result = *dicts[0];
  for (size_t i = 1; i < dicts.size(); ++i) result = merge(result, *dicts[i], recursive, lists);
  return own(std::move(result));
}

// Ansible's extract: container[item], then [morekeys...].
Result<Operand> extract(Call& c) {
  Operand value = get_item(std::move(*c.args[0]), c.input.value());
  if (const Value* more = c.arg(1)) {
    if (more->is_array()) {
      for (const auto& key : more->as_array()) value = get_item(std::move(value), key);
    } else {
      value = get_item(std::move(value), *more);
    }
  }
  return value;
}

}  // namespace

void register_dict_filters(Registry& r) {
  r.push_back({"dict2items", {{"key_name", "value_name"}}, dict2items});
  r.push_back({"items2dict", {{"key_name", "value_name"}}, items2dict});
  r.push_back({"items", {}, items});
  r.push_back({"dictsort", {{"case_sensitive", "by", "reverse"}}, dictsort});
  r.push_back({"combine", {{"recursive", "list_merge"}, 0, 0, true}, combine});
  r.push_back({"extract", {{"container", "morekeys"}, 1}, extract});
}

}  // namespace fleetk8s::tmpl::detail
