// The keywords each kind of task entry accepts (Ansible's Task, Block and
// TaskInclude attributes, less what fleetk8s does not implement).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace fleetk8s::playbook::keywords {

using Names = std::vector<std::string>;

inline Names operator+(Names a, const Names& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Keywords valid on every kind of task entry.
inline const Names kCommon{"name", "when", "tags", "become", "become_user", "become_method", "vars",
                           "environment", "ignore_errors", "ignore_unreachable", "any_errors_fatal",
                           "check_mode", "diff", "no_log", "run_once", "timeout", "throttle", "collections"};
inline const Names kLoops{"loop", "with_items", "with_list", "with_dict", "loop_control"};
inline const Names kModuleTask = kCommon + kLoops + Names{"register", "changed_when", "failed_when", "retries",
                                                          "delay", "until", "notify", "args", "action"};
inline const Names kBlock = kCommon + Names{"block", "rescue", "always", "notify"};
inline const Names kImportTasks = kCommon + Names{"args"};
inline const Names kIncludeTasks{"name", "when", "tags", "vars", "ignore_errors", "no_log", "run_once",
                                 "timeout", "register", "args", "action", "collections", "loop",
                                 "with_items", "with_list", "with_dict", "loop_control"};

// Ansible task keywords fleetk8s does not implement yet.
inline const Names kUnsupported{"delegate_to", "delegate_facts", "local_action", "async", "poll",
                                "debugger", "module_defaults", "remote_user", "connection", "port",
                                "become_flags", "become_exe", "vars_prompt", "static"};

// Actions that are not modules.
inline const Names kTaskFileActions{"import_tasks", "include_tasks"};
inline const Names kRoleActions{"import_role", "include_role"};

inline bool contains(const Names& names, const std::string& s) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

// "ansible.builtin.import_tasks" -> "import_tasks" for the non-module actions.
inline std::string short_action(const std::string& name) {
  for (const char* prefix : {"ansible.builtin.", "ansible.legacy."}) {
    std::string p(prefix);
    if (name.rfind(p, 0) == 0) return name.substr(p.size());
  }
  return name;
}

inline bool is_action_name(const std::string& name) {
  std::string s = short_action(name);
  return contains(kTaskFileActions, s) || contains(kRoleActions, s) || s == "include" || s == "import_playbook";
}

}  // namespace fleetk8s::playbook::keywords
