// The modules fleetk8s knows and the arguments each accepts: argument
// schemas only, faithful to Ansible's documented arguments (a commonly used
// subset; nothing invented). The implementations live elsewhere and may
// rely on the schema: after validate_values() an argument has its declared
// type and a listed choice.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"
#include "fleetk8s/playbook/model.h"

namespace fleetk8s::playbook {

// Ansible's argument types, with Ansible's conversions (validate_values()):
//   kStr   string; numbers and bools are converted to their text
//   kBool  true/false, yes/no, on/off, y/n, t/f, 1/0 (strings any case)
//   kInt   an integer, or a string or float holding one
//   kFloat a number, or a string holding one
//   kList  a list; a string is split on ","; a scalar becomes [scalar]
//   kDict  a mapping
//   kPath  as kStr (no expansion: "~" means the remote user's home)
//   kRaw   anything, unchanged
//   kMode  file mode: an int (the bits, so YAML 0644 is right and 644 is
//          not) or a string: octal digits ("0644") or symbolic ("u=rw,g=r")
enum class ArgType { kStr, kBool, kInt, kFloat, kList, kDict, kPath, kRaw, kMode };

// A short name for messages: "string", "boolean", "integer", ...
const char* to_string(ArgType type);

struct ArgSpec {
  std::string name{};                  // canonical; "_raw_params" is free form
  std::vector<std::string> aliases{};  // other accepted names
  ArgType type = ArgType::kStr;
  ArgType elements = ArgType::kStr;  // element type of a kList
  bool required = false;
  Value default_value{};               // null: no default
  std::vector<std::string> choices{};  // allowed values (as text); empty: any
};

// "When `arg` equals `value`, `then_required` must be set": all of them, or with
// `any` at least one. Ansible's required_if.
struct RequiredIf {
  std::string arg{};
  Value value{};
  std::vector<std::string> then_required{};
  bool any = false;
};

// How a module takes a bare string (`shell: echo hi`).
enum class FreeForm {
  kNone,     // only key=value pairs: `copy: src=a dest=b`
  kCommand,  // command/shell/raw: the text is the command; only the
             // module's own key=value options (creates=, chdir=, ...) are
             // split off, as Ansible's parse_kv(check_raw=True) does
  kAction,   // meta: the text is the action (flush_handlers, ...)
  kAnyKeys,  // set_fact: every key=value is a variable to set
};

struct ModuleSpec {
  std::string name{};                // canonical: "copy"
  std::vector<std::string> names{};  // every accepted name, canonical first
                                   // ("copy", "ansible.builtin.copy", ...)
  FreeForm free_form = FreeForm::kNone;
  std::vector<ArgSpec> args{};
  std::vector<std::vector<std::string>> mutually_exclusive{};
  std::vector<std::vector<std::string>> required_one_of{};
  std::vector<RequiredIf> required_if{};
  // "If the key is set, these must be set too" (Ansible's required_by).
  std::vector<std::pair<std::string, std::vector<std::string>>> required_by{};

  // The argument called `name` (canonical name or alias), or nullptr.
  const ArgSpec* find_arg(std::string_view name) const;
};

// Every module, in alphabetical order of canonical name.
const std::vector<ModuleSpec>& module_catalog();

// The module called `name` (canonical name, alias or FQCN), or nullptr.
const ModuleSpec* find_module(std::string_view name);

// Load-time check of a module task (other kinds pass), with arguments as
// written or with aliases resolved as the loader stores them: known module,
// known arguments, required ones present, groups (mutually exclusive, one of,
// required_if/by) respected, and the types and choices of values that hold
// no template ({{ or {%): those are checked per host by validate_values().
// Errors read "FILE:LINE:COL: MODULE: message" at the argument concerned.
Result<void> validate_args(const Task& task);

// Run-time check of rendered arguments, as Ansible's AnsibleModule does:
// resolves aliases, rejects unknown arguments, converts each value to its
// declared type, checks choices and groups, and fills in defaults. Returns
// the arguments the implementation should use. Errors read
// "MODULE: message" (the caller adds the task's position).
Result<Value::Object> validate_values(std::string_view module, const Value::Object& args);

}  // namespace fleetk8s::playbook
