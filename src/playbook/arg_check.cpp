// Module argument checks (validate_args at load time, validate_values per
// host after templating), following Ansible's AnsibleModule: aliases,
// unsupported parameters, type conversion, choices, required arguments and
// argument groups, then defaults.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <set>

#include "fleetk8s/core/number.h"
#include "fleetk8s/core/strings.h"
#include "fleetk8s/playbook/module_catalog.h"
#include "names.h"

namespace fleetk8s::playbook {
namespace {

// Prefix of a message about argument `key` ("" for the call as a whole).
using Locate = std::function<std::string(const std::string& key)>;

bool has_template(const Value& v) {
  switch (v.type()) {
    case Value::Type::kString:
      return v.as_string().find("{{") != std::string::npos || v.as_string().find("{%") != std::string::npos;
    case Value::Type::kArray:
      return std::any_of(v.as_array().begin(), v.as_array().end(), has_template);
    case Value::Type::kObject:
      return std::any_of(v.as_object().begin(), v.as_object().end(),
                         [](const auto& kv) { return has_template(kv.second); });
    default:
      return false;
  }
}

// The value as a message quotes it: strings in single quotes, else JSON.
std::string quoted(const Value& v) { return v.is_string() ? "'" + v.as_string() + "'" : v.to_json(); }

// Python's str() of a scalar, for string arguments given as numbers.
std::optional<std::string> scalar_text(const Value& v) {
  switch (v.type()) {
    case Value::Type::kString: return v.as_string();
    case Value::Type::kBool: return v.as_bool() ? "True" : "False";
    case Value::Type::kInt: return std::to_string(v.as_int());
    case Value::Type::kDouble: return python_float_repr(v.as_double());
    default: return std::nullopt;
  }
}

std::optional<bool> to_bool(const Value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_number()) {
    if (v.as_double() == 1) return true;
    if (v.as_double() == 0) return false;
    return std::nullopt;
  }
  if (!v.is_string()) return std::nullopt;
  static const std::set<std::string> kTrue{"y", "yes", "on", "1", "true", "t"};
  static const std::set<std::string> kFalse{"n", "no", "off", "0", "false", "f"};
  std::string s = to_lower(v.as_string());
  if (kTrue.count(s)) return true;
  if (kFalse.count(s)) return false;
  return std::nullopt;
}

std::optional<std::int64_t> to_int(const Value& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_bool()) return v.as_bool() ? 1 : 0;
  if (v.is_double()) return whole_int64(v.as_double());
  if (!v.is_string()) return std::nullopt;
  std::string s = trim(v.as_string());
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

std::optional<double> to_float(const Value& v) {
  if (v.is_number()) return v.as_double();
  if (!v.is_string()) return std::nullopt;
  std::string s = trim(v.as_string());
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return d;
}

// "0644", "0o644", "u=rw,g=r,o=", "a+x", "u+rwX,go-w", "preserve" (copy,
// template): what Ansible's file code accepts.
bool is_mode_string(const std::string& s) {
  if (s == "preserve") return true;
  std::string digits = s.rfind("0o", 0) == 0 ? s.substr(2) : s;
  if (!digits.empty() && digits.size() <= 5 &&
      digits.find_first_not_of("01234567") == std::string::npos) {
    return true;
  }
  size_t i = 0;
  auto clause = [&]() {
    while (i < s.size() && std::string_view("ugoa").find(s[i]) != std::string_view::npos) ++i;
    bool any_op = false;
    while (i < s.size() && std::string_view("-+=").find(s[i]) != std::string_view::npos) {
      any_op = true;
      ++i;
      if (i < s.size() && std::string_view("ugo").find(s[i]) != std::string_view::npos) {
        ++i;
        continue;
      }
      while (i < s.size() && std::string_view("rwxXst").find(s[i]) != std::string_view::npos) ++i;
    }
    return any_op;
  };
  if (s.empty()) return false;
  while (true) {
    if (!clause()) return false;
    if (i == s.size()) return true;
    if (s[i] != ',') return false;
    ++i;
  }
}

// Converts as Ansible's check_type_* do; the error is the part after the
// argument's name ("must be a boolean; got 'maybe'").
Result<Value> convert(const Value& v, ArgType type, ArgType elements) {
  auto fail = [&](const char* what) {
    return Error(ErrorKind::kInvalidInput, std::string("must be ") + what + "; got " + quoted(v));
  };
  switch (type) {
    case ArgType::kRaw:
      return v;
    case ArgType::kStr:
    case ArgType::kPath: {
      auto text = scalar_text(v);
      if (!text) return fail("a string");
      return Value(*text);
    }
    case ArgType::kBool: {
      auto b = to_bool(v);
      if (!b) return fail("a boolean");
      return Value(*b);
    }
    case ArgType::kInt: {
      auto n = to_int(v);
      if (!n) return fail("an integer");
      return Value(*n);
    }
    case ArgType::kFloat: {
      auto d = to_float(v);
      if (!d) return fail("a number");
      return Value(*d);
    }
    case ArgType::kList: {
      Value::Array items;
      if (v.is_array()) {
        items = v.as_array();
      } else if (v.is_string()) {
        std::string s = v.as_string();
        for (size_t start = 0;;) {
          size_t comma = s.find(',', start);
          items.emplace_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      } else if (v.is_number()) {
        items.push_back(*scalar_text(v));
      } else {
        return fail("a list");
      }
      for (Value& item : items) {
        auto converted = convert(item, elements, ArgType::kStr);
        if (!converted.ok()) {
          return Error(ErrorKind::kInvalidInput, "items " + converted.error().message());
        }
        item = std::move(*converted);
      }
      return Value(std::move(items));
    }
    case ArgType::kDict:
      if (!v.is_object()) return fail("a mapping");
      return v;
    case ArgType::kMode:
      if (v.is_int() || (v.is_string() && is_mode_string(v.as_string()))) return v;
      return fail("an octal mode like '0644' or a symbolic one like 'u=rw,g=r'");
  }
  return v;
}

class Checker {
 public:
  Checker(const ModuleSpec& spec, Locate locate, bool runtime)
      : spec_(spec), locate_(std::move(locate)), runtime_(runtime) {}

  Result<Value::Object> run(const Value::Object& given) {
    if (auto r = resolve_names(given); !r.ok()) return r.error();
    if (auto r = convert_values(); !r.ok()) return r.error();
    if (auto r = check_groups(); !r.ok()) return r.error();
    if (runtime_) {
      for (const ArgSpec& a : spec_.args) {
        if (!args_.count(a.name) && !a.default_value.is_null()) args_[a.name] = a.default_value;
      }
    }
    return std::move(args_);
  }

 private:
  // How messages name an argument.
  std::string display(const std::string& name) const {
    if (name != "_raw_params") return name;
    return spec_.free_form == FreeForm::kAction ? "action" : "free_form";
  }

  Error fail(const std::string& key, const std::string& message) const {
    return Error(ErrorKind::kInvalidInput, locate_(key) + spec_.name + ": " + message);
  }

  Error unsupported(const std::string& key) const {
    std::vector<std::string> names, all_names;
    for (const ArgSpec& a : spec_.args) {
      if (a.name == "_raw_params") continue;
      names.push_back(a.name);
      all_names.push_back(a.name);
      all_names.insert(all_names.end(), a.aliases.begin(), a.aliases.end());
    }
    std::sort(names.begin(), names.end());
    std::string message = "unsupported parameter '" + key + "'";
    if (std::string near = closest(key, all_names); !near.empty()) {
      message += " (did you mean '" + near + "'?)";
    }
    return fail(key, message + "; supported: " + join(names));
  }

  Result<void> resolve_names(const Value::Object& given) {
    for (const auto& [key, value] : given) {
      const ArgSpec* arg = spec_.find_arg(key);
      if (!arg) {
        if (spec_.free_form != FreeForm::kAnyKeys || key == "_raw_params") return unsupported(key);
        if (!is_variable_name(key)) {
          return fail(key, "'" + key + "' is not a valid variable name: use letters, digits and _, "
                           "not starting with a digit");
        }
        args_[key] = value;
        written_as_[key] = key;
        continue;
      }
      if (auto it = written_as_.find(arg->name); it != written_as_.end()) {
        return fail(key, "'" + it->second + "' and '" + key + "' are the same parameter; give one");
      }
      written_as_[arg->name] = key;
      if (value.is_null()) continue;  // as if not given
      args_[arg->name] = value;
    }
    return {};
  }

  Result<void> convert_values() {
    for (auto& [name, value] : args_) {
      const ArgSpec* arg = spec_.find_arg(name);
      if (!arg || (!runtime_ && has_template(value))) continue;
      auto converted = convert(value, arg->type, arg->elements);
      if (!converted.ok()) return fail(written_as_[name], display(name) + " " + converted.error().message());
      value = std::move(*converted);
      if (!arg->choices.empty()) {
        auto text = scalar_text(value);
        if (!text || std::find(arg->choices.begin(), arg->choices.end(), *text) == arg->choices.end()) {
          return fail(written_as_[name], display(name) + " must be one of: " + join(arg->choices) +
                                             "; got " + quoted(value));
        }
      }
    }
    return {};
  }

  bool given(const std::string& name) const { return args_.count(name) > 0; }

  // The value of `name` (or its default) when known at this stage: not
  // templated, already converted.
  const Value* known(const std::string& name) const {
    auto it = args_.find(name);
    if (it != args_.end()) return !runtime_ && has_template(it->second) ? nullptr : &it->second;
    const ArgSpec* arg = spec_.find_arg(name);
    return arg && !arg->default_value.is_null() ? &arg->default_value : nullptr;
  }

  std::vector<std::string> displayed(const std::vector<std::string>& names) const {
    std::vector<std::string> out;
    for (const std::string& n : names) out.push_back(display(n));
    return out;
  }

  Result<void> check_groups() {
    for (const ArgSpec& a : spec_.args) {
      if (a.required && !given(a.name)) return fail("", "missing required parameter '" + display(a.name) + "'");
    }
    for (const auto& group : spec_.mutually_exclusive) {
      std::vector<std::string> present;
      for (const std::string& n : group) {
        if (given(n)) present.push_back(n);
      }
      if (present.size() > 1) {
        return fail(written_as_[present[1]], "parameters are mutually exclusive: " + join(displayed(group)));
      }
    }
    for (const auto& group : spec_.required_one_of) {
      if (std::none_of(group.begin(), group.end(), [&](const std::string& n) { return given(n); })) {
        return fail("", "one of the following is required: " + join(displayed(group)));
      }
    }
    for (const RequiredIf& rule : spec_.required_if) {
      const Value* v = known(rule.arg);
      if (!v || !(*v == rule.value)) continue;
      std::vector<std::string> missing;
      for (const std::string& n : rule.then_required) {
        if (!given(n)) missing.push_back(display(n));
      }
      bool violated = rule.any ? missing.size() == rule.then_required.size() : !missing.empty();
      if (violated) {
        return fail(written_as_.count(rule.arg) ? written_as_[rule.arg] : "",
                    display(rule.arg) + " is " + scalar_text(*v).value_or(v->to_json()) + " but " +
                        (rule.any ? "any" : "all") + " of the following are missing: " + join(missing));
      }
    }
    for (const auto& [key, needed] : spec_.required_by) {
      if (!given(key)) continue;
      for (const std::string& n : needed) {
        if (!given(n)) {
          return fail(written_as_[key], "missing parameter(s) required by '" + display(key) + "': " + display(n));
        }
      }
    }
    return {};
  }

  const ModuleSpec& spec_;
  Locate locate_;
  bool runtime_;
  Value::Object args_;                         // canonical name -> value
  std::map<std::string, std::string> written_as_;  // canonical name -> key as given
};

std::vector<std::string> all_module_names() {
  std::vector<std::string> names;
  for (const ModuleSpec& m : module_catalog()) names.insert(names.end(), m.names.begin(), m.names.end());
  return names;
}

}  // namespace

Result<void> validate_args(const Task& task) {
  if (task.kind != Task::Kind::kModule) return {};
  const ModuleSpec* spec = find_module(task.module);
  if (!spec) {
    std::string message = task.module_pos.to_string() + ": unknown module '" + task.module + "'";
    if (std::string near = closest(task.module, all_module_names()); !near.empty()) {
      message += " (did you mean '" + near + "'?)";
    }
    return Error(ErrorKind::kInvalidInput, message);
  }
  Locate locate = [&task](const std::string& key) {
    auto it = task.arg_pos.find(key);
    return (it != task.arg_pos.end() ? it->second : task.module_pos).to_string() + ": ";
  };
  auto r = Checker(*spec, locate, /*runtime=*/false).run(task.args);
  if (!r.ok()) return r.error();
  return {};
}

Result<Value::Object> validate_values(std::string_view module, const Value::Object& args) {
  const ModuleSpec* spec = find_module(module);
  if (!spec) return Error(ErrorKind::kInvalidInput, "unknown module '" + std::string(module) + "'");
  return Checker(*spec, [](const std::string&) { return std::string(); }, /*runtime=*/true).run(args);
}

}  // namespace fleetk8s::playbook
