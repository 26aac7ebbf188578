// The registry of filters (`x | name`), tests (`x is name`), global
// functions (`range(3)`) and methods (`s.startswith('a')`). Each family of
// builtins lives in its own file and registers itself in builtins.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "operand.h"
#include "signature.h"

namespace fleetk8s::tmpl::detail {

// One call of a builtin, with its arguments evaluated and bound.
struct Call {
  std::string_view kind;              // "filter", "test", "function" or "method"
  std::string_view name;              // the builtin's name
  Operand input;                      // the filtered or tested value, or the method's receiver
  std::vector<std::optional<Operand>> args;  // one per Signature parameter
  std::vector<Operand> rest;          // extra positional arguments (variadic builtins)

  // An error "KIND 'NAME': message" (the evaluator adds the place).
  Error fail(const std::string& message) const;
  // The i-th argument, or nullptr when not given. REQUIRES: it is defined
  // (guaranteed unless the builtin accepts undefined values).
  const Value* arg(size_t i) const { return args[i] ? &args[i]->value() : nullptr; }
};

using FilterFn = Result<Operand> (*)(Call& call);
using TestFn = Result<bool> (*)(Call& call);

struct Builtin {
  std::string_view name;
  Signature signature;
  FilterFn fn = nullptr;  // filters, functions, methods
  TestFn test = nullptr;  // tests
  // False: the evaluator reports an undefined input or argument before the
  // call. True: the builtin sees Undefined operands (default, defined, ...).
  bool accepts_undefined = false;
  // Index into `rest` of an argument naming a filter (map) or test (select,
  // selectattr); checked at parse time when it is a constant. -1: none.
  int filter_name_at = -1;
  int test_name_at = -1;
};

// Lookups; nullptr when unknown. "ansible.builtin." and "ansible.legacy."
// prefixes are accepted.
const Builtin* find_filter(std::string_view name);
const Builtin* find_test(std::string_view name);
const Builtin* find_function(std::string_view name);
const Builtin* find_method(std::string_view name);

// " (did you mean 'default'?)" when a known filter / test is close to
// `name`, else empty.
std::string suggest_filter(std::string_view name);
std::string suggest_test(std::string_view name);

// Calls a builtin found by name at run time (map('upper'), select('match',
// 're')): binds `args` positionally, reports undefined values, and runs it.
Result<Operand> call_filter(const Builtin& filter, Operand input, std::vector<Operand> args);
Result<bool> call_test(const Builtin& test, Operand input, std::vector<Operand> args);

// Registration, one function per family (builtins_*.cpp).
using Registry = std::vector<Builtin>;
void register_text_filters(Registry& filters);
void register_list_filters(Registry& filters);
void register_dict_filters(Registry& filters);
void register_select_filters(Registry& filters);
void register_data_filters(Registry& filters);
void register_regex_filters(Registry& filters);
void register_regex_tests(Registry& tests);
void register_number_filters(Registry& filters);
void register_logic_filters(Registry& filters);
void register_version_filters(Registry& filters);
void register_version_tests(Registry& tests);
void register_tests(Registry& tests);
void register_functions(Registry& functions);
void register_methods(Registry& methods);

}  // namespace fleetk8s::tmpl::detail
