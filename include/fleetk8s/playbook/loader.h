// Reads Ansible playbooks into the model (model.h), checking as it goes:
// the YAML shape, every play and task keyword, every module call against
// the catalog (module_catalog.h). Static imports (import_playbook,
// import_tasks, and include_tasks of a literal path) are read here too.
// Stops at the first error, which names its place:
//   "FILE:LINE:COL: unknown task keyword 'wen' (did you mean 'when'?)"
// All errors have kind kInvalidInput, except an unreadable top-level file
// (see yaml::load_file).
//
// Stricter than Ansible on purpose (errors where Ansible warns, ignores or
// fails only when the task runs): unknown keywords, module arguments,
// choices, register names, templated booleans (become: "{{ x }}").
// Not supported yet, each an error naming the line: roles (roles:,
// include_role, import_role), delegate_to and local_action, async/poll,
// vars_prompt, include_tasks' apply, with_<lookup> other than with_items,
// with_list and with_dict, strategies other than linear and free,
// become_method other than sudo, the !unsafe tag, when: on import_playbook.
// `collections:` is accepted and ignored (every module is built in).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/playbook/model.h"

namespace fleetk8s::playbook {

// Reads the playbook at `path`. Relative imports resolve against the
// importing file's directory, then the playbook's directory.
Result<Playbook> load_playbook(const std::string& path);

// The same from text; `path` names the source in errors and anchors
// relative imports.
Result<Playbook> parse_playbook(std::string_view text, const std::string& path);

// Reads a task file (a YAML list of tasks) as import_tasks does; for an
// include_tasks whose path is only known at run time. `handlers` reads it
// as a handler list (no blocks).
Result<std::vector<Task>> load_task_file(const std::string& path, bool handlers = false);

}  // namespace fleetk8s::playbook
