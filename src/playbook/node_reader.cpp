#include "node_reader.h"
#include "fleetk8s/core/strings.h"

#include "names.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

namespace fleetk8s::playbook {
namespace {

using yaml::Node;

bool is_merge_key(const Node& key) { return key.is_scalar() && !key.quoted() && key.scalar() == "<<"; }

void add_merged(const Node& source, std::vector<std::pair<const Node*, const Node*>>& out) {
  auto present = [&out](const Node& key) {
    return std::any_of(out.begin(), out.end(), [&](const auto& e) {
      return e.first->is_scalar() && key.is_scalar() && e.first->scalar() == key.scalar();
    });
  };
  if (source.is_sequence()) {
    for (const Node& item : source.items()) add_merged(item, out);
    return;
  }
  for (const auto& e : map_entries(source)) {
    if (!present(*e.first)) out.push_back(e);
  }
}

const Node* find_unsafe(const Node& n) {
  if (n.tag() == "!unsafe") return &n;
  for (const Node& item : n.items()) {
    if (const Node* u = find_unsafe(item)) return u;
  }
  for (const auto& [k, v] : n.entries()) {
    if (const Node* u = find_unsafe(v)) return u;
  }
  return nullptr;
}

}  // namespace

std::vector<std::pair<const Node*, const Node*>> map_entries(const Node& map) {
  std::vector<std::pair<const Node*, const Node*>> out;
  for (const auto& [key, value] : map.entries()) {
    if (!is_merge_key(key)) out.emplace_back(&key, &value);
  }
  for (const auto& [key, value] : map.entries()) {
    if (is_merge_key(key) && (value.is_map() || value.is_sequence())) add_merged(value, out);
  }
  return out;
}

bool is_template(const std::string& s) {
  return s.find("{{") != std::string::npos || s.find("{%") != std::string::npos;
}

Position NodeReader::pos(const Node& n) const { return {file_, n.mark().line, n.mark().column}; }

Error NodeReader::error(const Node& n, const std::string& message) const {
  return Error(ErrorKind::kInvalidInput, pos(n).to_string() + ": " + message);
}

Result<Value> NodeReader::value(const Node& n) const {
  if (const Node* unsafe = find_unsafe(n)) return error(*unsafe, "the !unsafe tag is not supported yet");
  return yaml::to_value(n);
}

Result<Raw> NodeReader::raw(const Node& n) const {
  auto v = value(n);
  if (!v.ok()) return v.error();
  return Raw{std::move(*v), pos(n)};
}

Result<Raw> NodeReader::throttle(const Node& n) const {
  auto r = raw(n);
  if (!r.ok()) return r.error();
  const Value& x = r->value;
  if (!whole_number(x) && !(x.is_string() && is_template(x.as_string())))
    return error(n, "throttle must be a number of hosts (0: no limit) or a template");
  return r;
}

Result<bool> NodeReader::boolean(const Node& n, const std::string& what) const {
  auto v = value(n);
  if (!v.ok()) return v.error();
  if (v->is_bool()) return v->as_bool();
  if (v->is_int() && (v->as_int() == 0 || v->as_int() == 1)) return v->as_int() == 1;
  if (v->is_string()) {
    std::string s = v->as_string();
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    static const std::set<std::string> kTrue{"y", "yes", "on", "1", "true", "t"};
    static const std::set<std::string> kFalse{"n", "no", "off", "0", "false", "f"};
    if (kTrue.count(s)) return true;
    if (kFalse.count(s)) return false;
    if (is_template(s)) return error(n, what + " must be a literal boolean; templates are not supported here yet");
  }
  return error(n, what + " must be a boolean; got " + (n.is_scalar() ? "'" + n.scalar() + "'" : std::string("a ") + n.kind_name()));
}

Result<std::string> NodeReader::string(const Node& n, const std::string& what) const {
  if (n.is_null()) return std::string();
  if (!n.is_scalar()) return error(n, what + " must be a string; got a " + n.kind_name());
  if (n.tag() == "!unsafe") return error(n, "the !unsafe tag is not supported yet");
  return n.scalar();
}

Result<int> NodeReader::integer(const Node& n, const std::string& what) const {
  auto v = value(n);
  if (!v.ok()) return v.error();
  if (v->is_int()) {
    if (v->as_int() >= std::numeric_limits<int>::min() && v->as_int() <= std::numeric_limits<int>::max())
      return static_cast<int>(v->as_int());
    return error(n, what + " must be an integer of 32 bits; got '" + n.scalar() + "'");
  }
  if (v->is_string()) {
    std::string s = trim(v->as_string());
    if (!s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return std::stoi(s);
    }
    if (is_template(s)) return error(n, what + " must be a literal integer; templates are not supported here yet");
  }
  return error(n, what + " must be an integer; got " + (n.is_scalar() ? "'" + n.scalar() + "'" : std::string("a ") + n.kind_name()));
}

Result<std::vector<std::string>> NodeReader::string_list(const Node& n, const std::string& what,
                                                         bool split_commas) const {
  std::vector<std::string> out;
  if (n.is_scalar()) {
    auto s = string(n, what);
    if (!s.ok()) return s.error();
    if (!split_commas) return std::vector<std::string>{*s};
    return split_trimmed(*s, ',');
  }
  if (n.is_null()) return out;
  if (!n.is_sequence()) return error(n, what + " must be a string or a list of strings; got a " + n.kind_name());
  for (const Node& item : n.items()) {
    if (!item.is_scalar()) return error(item, what + " must be a list of strings; got a " + std::string(item.kind_name()) + " in it");
    auto s = string(item, what);
    if (!s.ok()) return s.error();
    out.push_back(*s);
  }
  return out;
}

Result<std::vector<Raw>> NodeReader::conditions(const Node& n, const std::string& what) const {
  std::vector<Raw> out;
  auto one = [&](const Node& c) -> Result<void> {
    if (!c.is_scalar()) {
      return error(c, what + " must be a condition or a list of conditions; got a " + std::string(c.kind_name()));
    }
    auto r = raw(c);
    if (!r.ok()) return r.error();
    out.push_back(std::move(*r));
    return {};
  };
  if (n.is_sequence()) {
    for (const Node& item : n.items()) {
      if (auto r = one(item); !r.ok()) return r.error();
    }
  } else if (auto r = one(n); !r.ok()) {
    return r.error();
  }
  return out;
}

Result<std::vector<Raw>> NodeReader::environment(const Node& n) const {
  std::vector<Raw> out;
  auto one = [&](const Node& e) -> Result<void> {
    bool templ = e.is_scalar() && is_template(e.scalar());
    if (!e.is_map() && !templ) {
      return error(e, "environment must be a mapping, a template or a list of those; got " +
                          (e.is_scalar() ? "'" + e.scalar() + "'" : std::string("a ") + e.kind_name()));
    }
    auto r = raw(e);
    if (!r.ok()) return r.error();
    out.push_back(std::move(*r));
    return {};
  };
  if (n.is_null()) return out;
  if (n.is_sequence()) {
    for (const Node& item : n.items()) {
      if (auto r = one(item); !r.ok()) return r.error();
    }
  } else if (auto r = one(n); !r.ok()) {
    return r.error();
  }
  return out;
}

Result<void> NodeReader::vars(const Node& n, Value::Object& vars, std::map<std::string, Position>& var_pos) const {
  if (n.is_null()) return {};
  if (n.is_sequence()) {
    for (const Node& item : n.items()) {
      if (!item.is_map()) return error(item, "vars must be a mapping or a list of mappings; got a " + std::string(item.kind_name()));
      if (auto r = this->vars(item, vars, var_pos); !r.ok()) return r;
    }
    return {};
  }
  if (!n.is_map()) return error(n, "vars must be a mapping; got a " + std::string(n.kind_name()));
  for (const auto& [key, value] : map_entries(n)) {
    std::string name = key->scalar();
    if (!key->is_scalar() || !is_variable_name(name)) {
      return error(*key, "'" + name + "' is not a valid variable name: use letters, digits and _, not starting with a digit");
    }
    auto v = this->value(*value);
    if (!v.ok()) return v.error();
    vars[name] = std::move(*v);
    var_pos[name] = pos(*key);
  }
  return {};
}

}  // namespace fleetk8s::playbook
