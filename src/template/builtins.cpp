// The builtin tables, built once on first use, and run-time calls by name.
#include "builtins.h"

#include <algorithm>
#include <unordered_map>

namespace fleetk8s::tmpl::detail {
namespace {

using Table = std::unordered_map<std::string_view, Builtin>;

Table index(void (*fill)(Registry&)) {
  Registry registry;
  fill(registry);
  Table table;
  for (auto& b : registry) table.emplace(b.name, std::move(b));
  return table;
}

const Table& filters() {
  static const Table table = index([](Registry& r) {
    register_text_filters(r);
    register_list_filters(r);
    register_dict_filters(r);
    register_select_filters(r);
    register_data_filters(r);
    register_regex_filters(r);
    register_number_filters(r);
    register_logic_filters(r);
    register_version_filters(r);
  });
  return table;
}

const Table& tests() {
  static const Table table = index([](Registry& r) {
    register_tests(r);
    register_regex_tests(r);
    register_version_tests(r);
  });
  return table;
}

const Table& functions() {
  static const Table table = index(register_functions);
  return table;
}

const Table& methods() {
  static const Table table = index(register_methods);
  return table;
}

const Builtin* find(const Table& table, std::string_view name) {
  for (std::string_view prefix : {"ansible.builtin.", "ansible.legacy."}) {
    if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
  }
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string suggest(const Table& table, std::string_view name) {
  std::string_view best;
  size_t best_distance = 3;  // suggest only close names
  for (const auto& [candidate, builtin] : table) {
    size_t d = edit_distance(name, candidate);
    if (d < best_distance || (d == best_distance && !best.empty() && candidate < best)) {
      best = candidate;
      best_distance = d;
    }
  }
  if (best.empty() || best_distance >= 3 || best_distance >= name.size()) return "";
  return " (did you mean '" + std::string(best) + "'?)";
}

template <class Fn>
auto call_by_name(const Builtin& builtin, std::string_view kind, Operand input, std::vector<Operand> args, Fn run)
    -> decltype(run(std::declval<Call&>())) {
  Call c;
  c.kind = kind;
  c.name = builtin.name;
  if (!input.is_defined() && !builtin.accepts_undefined) {
    return Error(ErrorKind::kInvalidInput, input.undefined().message);
  }
  c.input = std::move(input);
  auto bound = bind<Operand>(builtin.signature, std::string(kind) + " '" + std::string(builtin.name) + "'",
                             std::move(args), {});
  if (!bound) return bound.error();
  c.args = std::move(bound->args);
  c.rest = std::move(bound->rest);
  return run(c);
}

}  // namespace

Error Call::fail(const std::string& message) const {
  return Error(ErrorKind::kInvalidInput, std::string(kind) + " '" + std::string(name) + "': " + message);
}

const Builtin* find_filter(std::string_view name) { return find(filters(), name); }
const Builtin* find_test(std::string_view name) { return find(tests(), name); }
const Builtin* find_function(std::string_view name) { return find(functions(), name); }
const Builtin* find_method(std::string_view name) { return find(methods(), name); }

std::string suggest_filter(std::string_view name) { return suggest(filters(), name); }
std::string suggest_test(std::string_view name) { return suggest(tests(), name); }

Result<Operand> call_filter(const Builtin& filter, Operand input, std::vector<Operand> args) {
  return call_by_name(filter, "filter", std::move(input), std::move(args), [&](Call& c) { return filter.fn(c); });
}

Result<bool> call_test(const Builtin& test, Operand input, std::vector<Operand> args) {
  return call_by_name(test, "test", std::move(input), std::move(args), [&](Call& c) { return test.test(c); });
}

}  // namespace fleetk8s::tmpl::detail
